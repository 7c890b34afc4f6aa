using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

[Trait("Database", "Both")]
public sealed class SentLogPrunerTests
{
    [Fact]
    public async Task Prune_RemovesFinishedPayloadsPastRetentionAndTheirContent_KeepsUnsent()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Telemetry:RetentionDays"] = "30" });
        portal.CreatePortalClient().Dispose();
        var dbFactory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var store = portal.Services.GetRequiredService<PayloadStore>();
        var now = portal.Time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            // One transaction, as capture writes: the pruner running in the background must not see content without its payload.
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            db.Payloads.AddRange(
                await PayloadAsync(store, db, "old and sent", now.AddDays(-31), PayloadStatus.Sent),
                await PayloadAsync(store, db, "old and waiting", now.AddDays(-31), PayloadStatus.Retrying),
                await PayloadAsync(store, db, "recent", now.AddDays(-29), PayloadStatus.Sent));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        var removed = await portal.Services.GetRequiredService<SentLogPruner>().PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, removed);
        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(["old and waiting", "recent"], await db.Payloads.OrderBy(p => p.Id).Select(p => p.CoderVersion).ToListAsync(TestContext.Current.CancellationToken));
            Assert.Equal(2, await db.PayloadContents.CountAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Prune_OldPayloadWhoseContentIsAKeyframe_KeepsTheKeyframeWhileARecentDeltaNeedsIt()
    {
        // No background services: the month's jump below would otherwise have the scheduler capture new
        // reports and the pruner run on its own; this test calls the pruner itself.
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Telemetry:RetentionDays"] = "30" })
        {
            ConfigureTestServices = services => services.RemoveAll<IHostedService>(),
        };
        portal.CreatePortalClient().Dispose();
        var dbFactory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var pruner = portal.Services.GetRequiredService<SentLogPruner>();
        var store = portal.Services.GetRequiredService<PayloadStore>();
        var now = portal.Time.GetUtcNow().UtcDateTime;
        string keyframe, delta;
        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            var old = await PayloadAsync(store, db, "old", now.AddDays(-31), PayloadStatus.Sent, Body("old"));
            var recent = await PayloadAsync(store, db, "recent", now.AddDays(-1), PayloadStatus.Sent, Body("recent"), similarTo: old.Sha256);
            (keyframe, delta) = (old.Sha256, recent.Sha256);
            db.Payloads.AddRange(old, recent);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(keyframe, (await db.PayloadContents.FindAsync([delta], TestContext.Current.CancellationToken))!.BaseSha256);
        }

        Assert.Equal(1, await pruner.PruneAsync(TestContext.Current.CancellationToken));

        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(new[] { delta, keyframe }.Order(), (await db.PayloadContents.Select(c => c.Sha256).ToListAsync(TestContext.Current.CancellationToken)).Order());
            Assert.Equal(Body("recent"), await store.GetAsync(db, delta, TestContext.Current.CancellationToken));
        }

        // A month later the recent one goes too, and with it the keyframe nothing needs any more.
        portal.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, await pruner.PruneAsync(TestContext.Current.CancellationToken));
        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal(0, await db.Payloads.CountAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, await db.PayloadContents.CountAsync(TestContext.Current.CancellationToken));
        }
    }

    /// <summary>A payload body large and repetitive enough that a neighbour's is stored as a delta against it.</summary>
    private static byte[] Body(string name) => System.Text.Encoding.UTF8.GetBytes(
        $"{{\"name\":\"{name}\",\"rows\":[{string.Join(',', Enumerable.Range(0, 300).Select(n => $"{{\"n\":{n},\"id\":\"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n)))}\"}}"))}]}}");

    /// <summary>A payload whose content is <paramref name="body"/> (by default a tiny document naming it), stored as capture stores it.</summary>
    private static async Task<TelemetryPayload> PayloadAsync(
        PayloadStore store, PortalDbContext db, string name, DateTime capturedAt, PayloadStatus status, byte[]? body = null, string? similarTo = null) => new()
    {
        IdempotencyKey = Guid.NewGuid(),
        Kind = PayloadKind.Snapshot,
        Level = 2,
        Source = TelemetrySource.Simulated,
        Endpoint = "http://127.0.0.1/snapshot",
        CoderVersion = name,
        Status = status,
        Sha256 = await store.PutAsync(db, body ?? System.Text.Encoding.UTF8.GetBytes($"{{\"name\":\"{name}\"}}"), similarTo, TestContext.Current.CancellationToken),
        CapturedAt = capturedAt,
    };
}
