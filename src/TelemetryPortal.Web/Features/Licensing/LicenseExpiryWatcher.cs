using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>Notices when the license in force expires and records it once; level 0 has already stopped by then (the level follows the license).</summary>
public sealed partial class LicenseExpiryWatcher(
    IDbContextFactory<PortalDbContext> dbFactory, ILicenseEvents events, TimeProvider time, ILogger<LicenseExpiryWatcher> logger) : BackgroundService
{
    /// <summary>Records the expiry of the license in force, if it expired and was not yet recorded; returns whether it did.</summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await LicenseService.NewestAsync(db.AppliedLicenses.AsNoTracking(), ct);
        if (current is null || current.RevokedAt is not null || current.ExpiresAt > now || current.ExpiryRecordedAt is not null)
        {
            return false;
        }

        // Claim the expiry in one statement, so that it is recorded once even if two checks meet; the claim and
        // its ledger entry commit together.
        var claimed = await events.CommitAsync(async claim =>
        {
            var rows = await claim.AppliedLicenses.Where(l => l.Id == current.Id && l.ExpiryRecordedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiryRecordedAt, now), ct);
            return (rows > 0, rows == 0 ? null : new LicenseEvent(CollectionMethods.System, LicenseEventKind.Expired, ConsentActor.System,
                $"License {current.LicenseId} for {current.Organisation} expired on {current.ExpiresAt:yyyy-MM-dd HH:mm} UTC; level 0 falls back to level 1.", null, current.LicenseId));
        }, ct);
        if (!claimed)
        {
            return false;
        }

        LogExpired(current.LicenseId);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(ex);
            }

            await Task.Delay(await UntilNextCheckAsync(stoppingToken), time, stoppingToken);
        }
    }

    /// <summary>Wakes at the license's expiry, and at least hourly (a license may be applied meanwhile).</summary>
    private async Task<TimeSpan> UntilNextCheckAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await LicenseService.NewestAsync(db.AppliedLicenses.AsNoTracking(), ct);
        var hourly = TimeSpan.FromHours(1);
        if (current is not { RevokedAt: null, ExpiryRecordedAt: null })
        {
            return hourly;
        }

        var untilExpiry = current.ExpiresAt - time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1);
        return untilExpiry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : untilExpiry < hourly ? untilExpiry : hourly;
    }

    [LoggerMessage(LogLevel.Warning, "License {LicenseId} expired; telemetry runs at level 1 again")]
    private partial void LogExpired(Guid licenseId);

    [LoggerMessage(LogLevel.Error, "Checking the license's expiry failed; it is checked again soon")]
    private partial void LogCheckFailed(Exception exception);
}
