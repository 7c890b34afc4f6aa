namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>The license in force, if any, and how it stands.</summary>
public enum LicenseState
{
    None,
    Valid,
    ExpiringSoon,
    Expired,
    Revoked,
}

/// <summary>The license in force (the newest one applied) and how it stands now.</summary>
/// <param name="License">The newest applied license; <see langword="null"/> when none was ever applied.</param>
/// <param name="DaysLeft">Days to its expiry, rounded up; 0 without a license or once expired.</param>
public sealed record LicenseStatus(LicenseState State, AppliedLicenseView? License, int DaysLeft)
{
    /// <summary>Whether level 0 may take effect.</summary>
    public bool UnlocksLevelZero => State is LicenseState.Valid or LicenseState.ExpiringSoon;
}

/// <summary>A license applied to this portal, as pages and the API show it.</summary>
/// <param name="Token">The license as applied (the signed token).</param>
/// <param name="Development">Signed with this portal's development key.</param>
public sealed record AppliedLicenseView(
    Guid LicenseId, string Token, string Organisation, string KeyId, bool Development, DateTime IssuedAt, DateTime NotBefore,
    DateTime ExpiresAt, DateTime AppliedAt, string AppliedBy, DateTime? RevokedAt, string? RevokedBy, string? RevocationReason)
{
    internal static AppliedLicenseView From(AppliedLicense l) => new(
        l.LicenseId, l.Token, l.Organisation, l.KeyId, l.Development, l.IssuedAt, l.NotBefore, l.ExpiresAt, l.AppliedAt, l.AppliedBy,
        l.RevokedAt, l.RevokedBy, l.RevocationReason);
}

/// <summary>A license request and what became of it, as pages and the API show it.</summary>
/// <param name="RequestedBy">Who filed it: the actor id (a local account id, or the sign-in name).</param>
/// <param name="RequestedByName">Who filed it, in words.</param>
/// <param name="DenialReason">Why it was denied, for the requester.</param>
/// <param name="GrantedTermDays">The term granted on approval.</param>
/// <param name="LicenseToken">The license issued on approval.</param>
/// <param name="Source">Where it came from (on a desk: online or a file).</param>
/// <param name="SourceAddress">On a desk: the address an online request came from.</param>
/// <param name="Desk">On an installation: how far the request sent to the vendor's desk has got; <see langword="null"/> when it was not sent to one.</param>
public sealed record LicenseRequestView(
    long Id, string Organisation, string ContactName, string ContactEmail, Guid DeploymentId, string Reason, int TermDays,
    LicenseRequestStatus Status, string RequestedBy, string RequestedByName, DateTime RequestedAt, string? ReviewedBy, DateTime? ReviewedAt,
    string? DenialReason, int? GrantedTermDays, string? LicenseToken, Guid? LicenseId, LicenseRequestSource Source, string? SourceAddress,
    DeskProgress? Desk)
{
    internal static LicenseRequestView From(LicenseRequest r) => new(
        r.Id, r.Organisation, r.ContactName, r.ContactEmail, r.DeploymentId, r.Reason, r.TermDays, r.Status, r.RequestedBy, r.RequestedByName,
        r.RequestedAt, r.ReviewedBy, r.ReviewedAt, r.DenialReason, r.GrantedTermDays, r.LicenseToken, r.LicenseId, r.Source, r.SourceAddress,
        r.DeskUrl is null ? null : new DeskProgress(r.DeskUrl, r.Delivery, r.DeliveryAttempts, r.NextDeliveryAt, r.LastDeskContactAt, r.DeliveryError, r.DeskBody));
}

/// <summary>A request sent to the vendor's desk: where, how far it got, and what went wrong last.</summary>
/// <param name="Attempts">Failed tries since the last progress (deliveries, or questions while the desk decides).</param>
/// <param name="Body">What was confirmed and is sent, exactly.</param>
public sealed record DeskProgress(
    string DeskUrl, DeskDelivery Delivery, int Attempts, DateTime? NextAttemptAt, DateTime? LastContactAt, string? Error, string? Body);
