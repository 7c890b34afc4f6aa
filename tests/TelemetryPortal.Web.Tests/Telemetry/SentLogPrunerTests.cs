using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Services.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Telemetry;

public sealed class SentLogPrunerTests
{
    [Fact]
    public async Task Prune_RemovesFinishedPayloadsPastRetentionAndTheirContent_KeepsUnsent()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Telemetry:RetentionDays"] = "30" });
        portal.CreatePortalClient().Dispose();
        var dbFactory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var now = portal.Time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            // One transaction, as capture writes: the pruner running in the background must not see content without its payload.
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            db.Payloads.AddRange(
                await PayloadAsync(db, "old and sent", now.AddDays(-31), PayloadStatus.Sent),
                await PayloadAsync(db, "old and waiting", now.AddDays(-31), PayloadStatus.Retrying),
                await PayloadAsync(db, "recent", now.AddDays(-29), PayloadStatus.Sent));
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

    private static async Task<TelemetryPayload> PayloadAsync(PortalDbContext db, string name, DateTime capturedAt, PayloadStatus status) => new()
    {
        IdempotencyKey = Guid.NewGuid(),
        Kind = "snapshot",
        Level = 2,
        Source = "Simulated",
        Endpoint = "http://127.0.0.1/snapshot",
        CoderVersion = name,
        Status = status,
        Sha256 = await PayloadStore.PutAsync(db, System.Text.Encoding.UTF8.GetBytes($"{{\"name\":\"{name}\"}}"), TestContext.Current.CancellationToken),
        CapturedAt = capturedAt,
    };
}
