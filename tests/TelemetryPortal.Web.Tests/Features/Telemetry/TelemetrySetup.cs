using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>
/// The base of the telemetry pages' component tests: the portal's own registrations (every feature module, as
/// <c>Program.cs</c> adds them) on a SQLite file of the test's own, and a sent log filled as capture fills it.
/// </summary>
public abstract class TelemetrySetup : PortalComponentTestContext
{
    /// <summary>The test's data directory (its database and keys).</summary>
    protected string DataDirectory { get; } = TempDirectory.Create();

    /// <summary>Registers the portal's services with <paramref name="settings"/> over <see cref="DataDirectory"/>, migrated.</summary>
    protected void UseTelemetry(IDictionary<string, string?>? settings = null) => UsePortalServices(DataDirectory, settings);

    /// <summary>Adds a payload to the sent log whose content is <paramref name="body"/>, stored as capture stores it (content and row in one transaction).</summary>
    protected async Task<long> AddPayloadAsync(byte[] body, PayloadKind kind, PayloadStatus status, DateTime capturedAt, int level = 2)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var payload = new TelemetryPayload
        {
            IdempotencyKey = Guid.NewGuid(),
            Kind = kind,
            Level = level,
            Source = TelemetrySource.Simulated,
            Endpoint = "http://127.0.0.1/collector",
            CoderVersion = "v2.24.1",
            Status = status,
            Sha256 = await Services.GetRequiredService<PayloadStore>().PutAsync(db, body, CancellationToken.None),
            SizeBytes = body.Length,
            CapturedBytes = body.Length,
            CapturedAt = capturedAt,
        };
        db.Payloads.Add(payload);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return payload.Id;
    }
}
