using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Licensing;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>Licenses in a chosen state, written straight into the database (the state is computed when read).</summary>
internal static class LicenseStates
{
    /// <summary>Adds a license of Initech from <paramref name="notBefore"/> to <paramref name="expiresAt"/>, revoked when <paramref name="revokedReason"/> is given.</summary>
    public static async Task AddAsync(IServiceProvider services, DateTime notBefore, DateTime expiresAt, string? revokedReason = null)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.AppliedLicenses.Add(new AppliedLicense
        {
            LicenseId = Guid.NewGuid(),
            Token = "header.payload.signature",
            Organisation = "Initech",
            KeyId = "dev",
            Development = true,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            ExpiresAt = expiresAt,
            AppliedAt = DateTime.UtcNow,
            AppliedBy = "Administrator (admin)",
            RevokedAt = revokedReason is null ? null : DateTime.UtcNow,
            RevokedBy = revokedReason is null ? null : "Administrator (admin)",
            RevocationReason = revokedReason,
        });
        await db.SaveChangesAsync();
    }
}
