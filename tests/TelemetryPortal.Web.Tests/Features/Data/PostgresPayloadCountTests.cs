using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>On PostgreSQL the sent log's unfiltered total comes from a count the database keeps: it must equal counting the rows.</summary>
[Trait("Database", "Postgres")]
public sealed class PostgresPayloadCountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Total_AfterConcurrentInsertsDeletesAndARolledBackInsert_EqualsTheRowsCounted()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Portal"] = TestDatabases.CreatePostgres(),
        });
        portal.CreatePortalClient().Dispose();
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var history = portal.Services.GetRequiredService<HistoryService>();
        string sha;
        await using (var db = await factory.CreateDbContextAsync(Ct))
        {
            sha = await portal.Services.GetRequiredService<PayloadStore>().PutAsync(db, "{}"u8.ToArray(), null, Ct);
        }

        // Eight writers at once, each adding 25 rows in batches (a statement may insert several).
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                await using var db = await factory.CreateDbContextAsync(Ct);
                db.Payloads.AddRange(Enumerable.Range(0, 5).Select(_ => Payload(sha)));
                await db.SaveChangesAsync(Ct);
            }
        }, Ct)));
        await using (var db = await factory.CreateDbContextAsync(Ct))
        {
            // Removed in one statement, as the pruner does; and an insert rolled back counts for nothing.
            await db.Payloads.Where(p => p.Id % 3 == 0).ExecuteDeleteAsync(Ct);
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            db.Payloads.AddRange(Enumerable.Range(0, 10).Select(_ => Payload(sha)));
            await db.SaveChangesAsync(Ct);
            await transaction.RollbackAsync(Ct);
        }

        await using var read = await factory.CreateDbContextAsync(Ct);
        var counted = await read.Payloads.CountAsync(Ct);
        Assert.InRange(counted, 120, 160);
        Assert.Equal(counted, (await history.QueryAsync(new HistoryFilter(), ct: Ct)).Total);
        Assert.Equal(counted, await history.CountAsync(new HistoryFilter(), Ct));
        // A filter still counts the rows.
        Assert.Equal(counted, (await history.QueryAsync(new HistoryFilter(Kind: PayloadKind.Snapshot), ct: Ct)).Total);
    }

    private static TelemetryPayload Payload(string sha) => new()
    {
        IdempotencyKey = Guid.NewGuid(),
        Kind = PayloadKind.Snapshot,
        Level = 2,
        Source = TelemetrySource.Simulated,
        Endpoint = "http://127.0.0.1/collector",
        CoderVersion = "v2.24.1",
        Status = PayloadStatus.Sent,
        Sha256 = sha,
        SizeBytes = 2,
        CapturedBytes = 2,
        CapturedAt = DateTime.UtcNow,
    };
}
