using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Licensing;

public enum LicenseEventKind
{
    Requested,
    Withdrawn,
    Approved,
    Denied,
    Applied,
    Expired,
    Revoked,
    Refused,
}

/// <summary>One license event, for the consent ledger.</summary>
public sealed record LicenseEvent(string Method, LicenseEventKind Kind, ConsentActor Actor, string Reason, long? RequestId, Guid? LicenseId);

/// <summary>Where license events are recorded, atomically with what they record.</summary>
public interface ILicenseEvents
{
    /// <summary>
    /// Runs <paramref name="change"/> on a context and commits what it changed together with the ledger entry of the
    /// event it returns (and, when the event changes the level in force, that change), in one transaction: a license
    /// is never applied, revoked or expired without its record. A <see langword="null"/> event records nothing.
    /// </summary>
    Task<T> CommitAsync<T>(Func<PortalDbContext, Task<(T Result, LicenseEvent? Event)>> change, CancellationToken ct = default);
}

/// <summary>Records license events in the consent ledger, with the effective level they lead to.</summary>
public sealed class LedgerLicenseEvents(
    ConsentLedgerService ledger, ConsentGate gate, TelemetryLevelService levels, OutboxLevelEnforcer outbox) : ILicenseEvents
{
    public async Task<T> CommitAsync<T>(Func<PortalDbContext, Task<(T Result, LicenseEvent? Event)>> change, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        using (await gate.EnterAsync(ct))
        {
            T result = default!;
            LevelResolution? after = null;
            await ledger.CommitAsync(async db =>
            {
                (result, var licenseEvent) = await change(db);
                if (licenseEvent is null)
                {
                    return [];
                }

                var events = new List<ConsentEvent> { ToConsentEvent(licenseEvent) };
                if (licenseEvent.Kind is LicenseEventKind.Applied or LicenseEventKind.Expired or LicenseEventKind.Revoked)
                {
                    after = await levels.ResolveAsync(null, licenseEvent.Kind == LicenseEventKind.Applied, ct);
                    if (await ConsentLedgerService.EffectiveLevelEventAsync(db, after, ct) is { } effective)
                    {
                        events.Add(effective);
                    }
                }

                return events;
            }, ct);

            if (after is not null)
            {
                await outbox.ApplyAsync(after.Effective, ct);
            }

            return result;
        }
    }

    private static ConsentEvent ToConsentEvent(LicenseEvent e)
    {
        var action = e.Kind switch
        {
            LicenseEventKind.Requested => ConsentActions.LicenseRequested,
            LicenseEventKind.Withdrawn => ConsentActions.LicenseWithdrawn,
            LicenseEventKind.Approved => ConsentActions.LicenseApproved,
            LicenseEventKind.Denied => ConsentActions.LicenseDenied,
            LicenseEventKind.Applied => ConsentActions.LicenseApplied,
            LicenseEventKind.Expired => ConsentActions.LicenseExpired,
            LicenseEventKind.Refused => ConsentActions.LicenseRefused,
            _ => ConsentActions.LicenseRevoked,
        };
        var reference = e.LicenseId is { } id ? $"license:{id}" : e.RequestId is { } request ? $"request:{request}" : null;
        return new ConsentEvent(action, e.Actor, e.Method, null, null, e.Reason, Reference: reference);
    }
}
