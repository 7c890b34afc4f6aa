namespace TelemetryPortal.Web.Features.Licensing;

public enum LicenseRequestStatus
{
    Pending,
    Approved,
    Denied,
    Withdrawn,
}

/// <summary>A request for a zero-telemetry license, and what became of it.</summary>
public sealed class LicenseRequest
{
    public long Id { get; set; }

    public required string Organisation { get; set; }

    public required string ContactName { get; set; }

    public required string ContactEmail { get; set; }

    public Guid DeploymentId { get; set; }

    public required string Reason { get; set; }

    public int TermDays { get; set; }

    public LicenseRequestStatus Status { get; set; }

    /// <summary>Who filed it: the actor id (a local account id, or the sign-in name).</summary>
    public required string RequestedBy { get; set; }

    /// <summary>Who filed it, in words.</summary>
    public required string RequestedByName { get; set; }

    public DateTime RequestedAt { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTime? ReviewedAt { get; set; }

    /// <summary>Why it was denied, for the requester.</summary>
    public string? DenialReason { get; set; }

    /// <summary>The term granted on approval.</summary>
    public int? GrantedTermDays { get; set; }

    /// <summary>The license issued on approval.</summary>
    public string? LicenseToken { get; set; }

    public Guid? LicenseId { get; set; }
}
