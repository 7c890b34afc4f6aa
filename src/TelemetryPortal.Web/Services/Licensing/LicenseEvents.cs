using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Services.Consent;

namespace TelemetryPortal.Web.Services.Licensing;

public enum LicenseEventKind
{
    Requested,
    Withdrawn,
    Approved,
    Denied,
    Applied,
    Expired,
    Revoked,
}

/// <summary>A step of the license path, for the consent ledger.</summary>
/// <param name="Method">How it was captured: one of <see cref="CollectionMethods"/>.</param>
public sealed record LicenseEvent(string Method, LicenseEventKind Kind, ConsentActor Actor, string Reason, long? RequestId, Guid? LicenseId);

/// <summary>Records license events where the consent history keeps them.</summary>
public interface ILicenseEvents
{
    Task RecordAsync(LicenseEvent licenseEvent, CancellationToken ct = default);
}

/// <summary>
/// License events go into the consent ledger; an event that can change the level in force
/// (applied, expired, revoked) is followed by the effective level when it changed.
/// </summary>
public sealed class LedgerLicenseEvents(ConsentLedgerService ledger, IServiceProvider services) : ILicenseEvents
{
    public async Task RecordAsync(LicenseEvent licenseEvent, CancellationToken ct = default)
    {
        var e = licenseEvent;
        var action = e.Kind switch
        {
            LicenseEventKind.Requested => ConsentActions.LicenseRequested,
            LicenseEventKind.Withdrawn => ConsentActions.LicenseWithdrawn,
            LicenseEventKind.Approved => ConsentActions.LicenseApproved,
            LicenseEventKind.Denied => ConsentActions.LicenseDenied,
            LicenseEventKind.Applied => ConsentActions.LicenseApplied,
            LicenseEventKind.Expired => ConsentActions.LicenseExpired,
            _ => ConsentActions.LicenseRevoked,
        };
        var reference = e.LicenseId is { } id ? $"license:{id}" : e.RequestId is { } request ? $"request:{request}" : null;
        await ledger.AppendAsync(new ConsentEvent(action, e.Actor, e.Method, null, null, e.Reason, Reference: reference), ct);
        if (e.Kind is LicenseEventKind.Applied or LicenseEventKind.Expired or LicenseEventKind.Revoked)
        {
            // Resolved late: the level service depends on the license, which depends on these events.
            var levels = services.GetRequiredService<TelemetryLevelService>();
            await ledger.RecordEffectiveLevelAsync(await levels.ResolveAsync(ct), ct);
        }
    }
}
