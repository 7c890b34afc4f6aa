using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Services.Licensing;

/// <summary>Notices when the license in force expires and records it once; level 0 has already stopped by then (the level follows the license).</summary>
public sealed partial class LicenseExpiryWatcher(
    IDbContextFactory<PortalDbContext> dbFactory, ILicenseEvents events, TimeProvider time, ILogger<LicenseExpiryWatcher> logger) : BackgroundService
{
    /// <summary>Records the expiry of the license in force, if it expired and was not yet recorded; returns whether it did.</summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.AppliedLicenses.OrderByDescending(l => l.AppliedAt).ThenByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        if (current is null || current.RevokedAt is not null || current.ExpiresAt > now || current.ExpiryRecordedAt is not null)
        {
            return false;
        }

        current.ExpiryRecordedAt = now;
        await db.SaveChangesAsync(ct);
        await events.RecordAsync(new LicenseEvent(Consent.CollectionMethods.System, LicenseEventKind.Expired, Consent.ConsentActor.System,
            $"License {current.LicenseId} for {current.Organisation} expired on {current.ExpiresAt:yyyy-MM-dd HH:mm} UTC; level 0 falls back to level 1.", null, current.LicenseId), ct);
        LogExpired(current.LicenseId);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Warning, "License {LicenseId} expired; telemetry runs at level 1 again")]
    private partial void LogExpired(Guid licenseId);

    [LoggerMessage(LogLevel.Error, "Checking the license's expiry failed; it is checked again in a minute")]
    private partial void LogCheckFailed(Exception exception);
}
