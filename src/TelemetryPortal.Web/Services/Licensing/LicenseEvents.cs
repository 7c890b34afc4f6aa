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
public sealed record LicenseEvent(LicenseEventKind Kind, Actor Actor, string Reason, long? RequestId, Guid? LicenseId);

/// <summary>Records license events where the consent history keeps them.</summary>
public interface ILicenseEvents
{
    Task RecordAsync(LicenseEvent licenseEvent, CancellationToken ct = default);
}
