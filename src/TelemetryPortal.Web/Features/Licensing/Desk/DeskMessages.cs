using System.Text.Json.Serialization;

namespace TelemetryPortal.Web.Features.Licensing.Desk;

/// <summary>
/// A license request as it travels from an installation to the vendor's desk (<c>POST /desk/requests</c>): exactly what
/// the requester confirmed, nothing more.
/// </summary>
public sealed record DeskFiling(string? Organisation, string? ContactName, string? ContactEmail, Guid? DeploymentId, string? Reason, int? TermDays)
{
    public static DeskFiling From(LicenseRequestInput input) => new(
        input.Organisation.Trim(), input.ContactName.Trim(), input.ContactEmail.Trim(), input.DeploymentId, input.Reason.Trim(), input.TermDays);

    /// <summary>The fields as the service checks them (a missing one is empty, so that its rule names it).</summary>
    public LicenseRequestInput ToInput() => new(
        Organisation ?? "", ContactName ?? "", ContactEmail ?? "", DeploymentId ?? Guid.Empty, Reason ?? "", TermDays ?? 0);
}

/// <summary>The desk's answer to a filing: the request's id and the secret that alone retrieves its decision.</summary>
/// <param name="Secret">Send it as the <c>X-Desk-Secret</c> header to <c>GET /desk/requests/{id}</c>; the desk keeps only its hash.</param>
public sealed record DeskReceipt(Guid Id, string Secret, string Status);

/// <summary>Where a request stands at the desk.</summary>
/// <param name="Status"><c>Pending</c>, <c>Approved</c>, <c>Denied</c> or <c>Withdrawn</c>.</param>
/// <param name="DenialReason">Why it was denied, for the requester.</param>
/// <param name="License">The signed license, once approved.</param>
public sealed record DeskDecision(Guid Id, string Status, string? DenialReason, int? GrantedTermDays, string? License, DateTime? DecidedAt)
{
    internal static DeskDecision From(LicenseRequest r) =>
        new(r.DeskId!.Value, r.Status.ToString(), r.DenialReason, r.GrantedTermDays, r.LicenseToken, r.ReviewedAt);
}

/// <summary>A request exported as a file, for a desk an air-gapped site cannot reach; the desk imports it.</summary>
public sealed record LicenseRequestFile(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("organisation")] string? Organisation,
    [property: JsonPropertyName("contact_name")] string? ContactName,
    [property: JsonPropertyName("contact_email")] string? ContactEmail,
    [property: JsonPropertyName("deployment_id")] Guid? DeploymentId,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("term_days")] int? TermDays,
    [property: JsonPropertyName("requested_by")] string? RequestedBy,
    [property: JsonPropertyName("requested_at")] DateTime? RequestedAt,
    [property: JsonPropertyName("status")] string? Status)
{
    /// <summary>What <see cref="Kind"/> says in every exported request.</summary>
    public const string FileKind = "zero-telemetry-license-request";

    public static LicenseRequestFile From(LicenseRequestView r) => new(
        FileKind, r.Id, r.Organisation, r.ContactName, r.ContactEmail, r.DeploymentId, r.Reason, r.TermDays, r.RequestedByName, r.RequestedAt,
        r.Status.ToString());

    public LicenseRequestInput ToInput() => new(
        Organisation ?? "", ContactName ?? "", ContactEmail ?? "", DeploymentId ?? Guid.Empty, Reason ?? "", TermDays ?? 0);
}
