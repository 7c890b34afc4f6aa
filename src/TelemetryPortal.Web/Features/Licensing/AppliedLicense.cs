namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>A license applied to this portal. The newest one not revoked is in force.</summary>
public sealed class AppliedLicense
{
    public long Id { get; set; }

    public Guid LicenseId { get; set; }

    public required string Token { get; set; }

    public required string Organisation { get; set; }

    public required string KeyId { get; set; }

    public bool Development { get; set; }

    public DateTime IssuedAt { get; set; }

    public DateTime NotBefore { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime AppliedAt { get; set; }

    public required string AppliedBy { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public string? RevocationReason { get; set; }

    /// <summary>Set once the expiry has been noticed and recorded, so it is recorded once.</summary>
    public DateTime? ExpiryRecordedAt { get; set; }
}
