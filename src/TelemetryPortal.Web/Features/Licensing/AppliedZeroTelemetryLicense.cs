using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>Level 0 is unlocked while the license in force is valid: not expired, not revoked.</summary>
public sealed class AppliedZeroTelemetryLicense(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time) : IZeroTelemetryLicense
{
    public async Task<bool> IsValidAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await LicenseService.NewestAsync(db.AppliedLicenses.AsNoTracking(), ct);
        return LicenseService.StatusOf(current, time.GetUtcNow()).UnlocksLevelZero;
    }
}
