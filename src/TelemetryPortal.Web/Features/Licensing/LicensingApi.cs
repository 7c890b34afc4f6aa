using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints.Api;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing.Desk;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>A license request as the API shows it; the issued license is included once approved.</summary>
public sealed record LicenseRequestResponse(
    long Id, string Organisation, string ContactName, string ContactEmail, Guid DeploymentId, string Reason, int TermDays,
    string Status, string RequestedBy, DateTime RequestedAt, string? ReviewedBy, DateTime? ReviewedAt, string? DenialReason,
    int? GrantedTermDays, Guid? LicenseId, string? LicenseToken, string Source, string? DeskUrl, string? Delivery, int? DeliveryAttempts,
    DateTime? NextDeliveryAt, string? DeliveryError)
{
    public static LicenseRequestResponse From(LicenseRequestView r) => new(
        r.Id, r.Organisation, r.ContactName, r.ContactEmail, r.DeploymentId, r.Reason, r.TermDays, r.Status.ToString(), r.RequestedByName,
        r.RequestedAt, r.ReviewedBy, r.ReviewedAt, r.DenialReason, r.GrantedTermDays, r.LicenseId, r.LicenseToken, r.Source.ToString(),
        r.Desk?.DeskUrl, r.Desk?.Delivery.ToString(), r.Desk?.Attempts, r.Desk?.NextAttemptAt, r.Desk?.Error);
}

/// <summary>What a request sent to the vendor's desk would carry, and where to.</summary>
/// <param name="Address">Where it is posted (<c>{Licensing:DeskUrl}/desk/requests</c>).</param>
/// <param name="Body">The exact body; send it back with <c>confirm: true</c> to <c>POST /licenses/requests/send</c>.</param>
public sealed record DeskSendingResponse(string Address, string Body)
{
    public static DeskSendingResponse From(DeskSending s) => new(s.Address, s.Body);
}

/// <summary>Sending a request to the vendor's desk, as it was previewed.</summary>
/// <param name="Address">The address the preview named.</param>
/// <param name="Body">The body the preview answered, unchanged.</param>
/// <param name="Confirm">Must be true: the requester confirms that exactly this leaves, to there.</param>
public sealed record DeskSendRequest(string? Address, string? Body, bool Confirm);

/// <summary>The license in force.</summary>
public sealed record LicenseStatusResponse(
    string State, bool UnlocksLevelZero, Guid? LicenseId, string? Organisation, DateTime? IssuedAt, DateTime? ExpiresAt, int DaysLeft,
    bool Development, string? KeyId, DateTime? AppliedAt, string? AppliedBy, DateTime? RevokedAt, string? RevocationReason, string? Token)
{
    public static LicenseStatusResponse From(LicenseStatus s) => new(
        s.State.ToString(), s.UnlocksLevelZero, s.License?.LicenseId, s.License?.Organisation, s.License?.IssuedAt, s.License?.ExpiresAt,
        s.DaysLeft, s.License?.Development ?? false, s.License?.KeyId, s.License?.AppliedAt, s.License?.AppliedBy, s.License?.RevokedAt,
        s.License?.RevocationReason, s.License?.Token);
}

/// <summary>Approving a request.</summary>
/// <param name="TermDays">The term to grant, in days (1 to <c>Licensing:MaxTermDays</c>).</param>
public sealed record LicenseApprovalRequest(int TermDays);

/// <summary>Denying a request.</summary>
/// <param name="Reason">Why, for the requester (5 to 2000 characters).</param>
public sealed record LicenseDenialRequest(string? Reason);

/// <summary>Applying a license.</summary>
/// <param name="Token">The license: the signed token.</param>
public sealed record LicenseApplyRequest(string? Token);

/// <summary>Revoking the license in force.</summary>
/// <param name="Reason">Why (optional).</param>
public sealed record LicenseRevocationRequest(string? Reason);

/// <summary>
/// License requests and the license in force. A refusal of the service (a field out of its rule, another's request,
/// an unknown request, a license that is not valid here) is its <see cref="Endpoints.PortalProblemException"/>,
/// answered as problem details by the API group's filter.
/// </summary>
public static class LicensingApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var requests = api.MapGroup("/licenses/requests").WithTags("Licenses");

        requests.MapPost("/", RequestAsync)
            .RequireAccess(Audience.Customers)
            .WithName("RequestLicense")
            .WithSummary("File a zero-telemetry license request (Customer, Admin); 400 naming each field that is wrong.");

        requests.MapPost("/preview", PreviewAsync)
            .RequireAccess(Audience.Customers)
            .WithName("PreviewDeskRequest")
            .WithSummary("With Licensing:DeskUrl: exactly what a request would send to the vendor's desk, and where to; nothing is sent or filed.");

        requests.MapPost("/send", SendAsync)
            .RequireAccess(Audience.Customers)
            .WithName("SendDeskRequest")
            .WithSummary("With Licensing:DeskUrl: file the previewed request and send it to the vendor's desk (confirm: true); recorded in the consent ledger.");

        requests.MapGet("/", ListRequestsAsync)
            .RequireAccess(Audience.AnyRole, "support staff and the admin see every request, customers their own")
            .WithName("ListLicenseRequests")
            .WithSummary("License requests: all of them for support staff and the admin, one's own for customers.");

        requests.MapPost("/{id:long}/approve", ApproveAsync)
            .RequireAccess(Audience.Staff)
            .WithName("ApproveLicenseRequest")
            .WithSummary("Approve a pending request with a term in days: signs a license (Support).");

        requests.MapPost("/{id:long}/deny", DenyAsync)
            .RequireAccess(Audience.Staff)
            .WithName("DenyLicenseRequest")
            .WithSummary("Deny a pending request with a reason the requester sees (Support).");

        requests.MapPost("/{id:long}/withdraw", WithdrawAsync)
            .RequireAccess(Audience.Customers, "only the requester's own request")
            .WithName("WithdrawLicenseRequest")
            .WithSummary("Withdraw one's own pending request.");

        var license = api.MapGroup("/license").WithTags("Licenses");
        license.MapGet("/", GetLicenseAsync)
            .RequireAccess(Audience.AnyRole)
            .WithName("GetLicense")
            .WithSummary("The license in force: state, organisation, term, days left, the raw token.");

        license.MapPut("/", ApplyAsync)
            .RequireAccess(Audience.Admin)
            .WithName("ApplyLicense")
            .WithSummary("Apply a license token (Admin); 422 with the reason when it is not valid for this deployment.");

        license.MapPost("/revoke", RevokeAsync)
            .RequireAccess(Audience.Admin)
            .WithName("RevokeLicense")
            .WithSummary("Revoke the license in force (Admin); level 0 stops at once.");
        return api;
    }

    private static async Task<Created<LicenseRequestResponse>> RequestAsync(
        LicenseRequestInput request, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct)
    {
        var created = await licenses.RequestAsync(request, ConsentActor.From(user), CollectionMethods.Api, ct);
        return TypedResults.Created($"{ApiEndpoints.Prefix}/licenses/requests/{created.Id}", LicenseRequestResponse.From(created));
    }

    private static Ok<DeskSendingResponse> PreviewAsync(LicenseRequestInput request, LicenseDeskClient desk) =>
        TypedResults.Ok(DeskSendingResponse.From(desk.Prepare(request)));

    private static async Task<Created<LicenseRequestResponse>> SendAsync(
        DeskSendRequest request, LicenseDeskClient desk, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.Confirm)
        {
            throw Endpoints.PortalProblemException.Invalid("confirm must be true: nothing leaves this installation without the requester's confirmation of what is sent and where to.");
        }

        var created = await desk.FileAsync(new DeskSending(request.Address ?? "", request.Body ?? ""), ConsentActor.From(user), CollectionMethods.Api, ct);
        return TypedResults.Created($"{ApiEndpoints.Prefix}/licenses/requests/{created.Id}", LicenseRequestResponse.From(created));
    }

    private static async Task<Ok<LicenseRequestResponse[]>> ListRequestsAsync(
        LicenseService licenses, ClaimsPrincipal user, IAuthorizationService authorization, CancellationToken ct)
    {
        var all = (await authorization.AuthorizeAsync(user, PortalPolicies.Support)).Succeeded;
        return TypedResults.Ok((await licenses.ListAsync(ConsentActor.From(user), all, ct)).Select(LicenseRequestResponse.From).ToArray());
    }

    private static async Task<Ok<LicenseRequestResponse>> ApproveAsync(
        long id, LicenseApprovalRequest request, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(LicenseRequestResponse.From(await licenses.ApproveAsync(id, request.TermDays, ConsentActor.From(user), CollectionMethods.Api, ct)));

    private static async Task<Ok<LicenseRequestResponse>> DenyAsync(
        long id, LicenseDenialRequest request, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(LicenseRequestResponse.From(await licenses.DenyAsync(id, request.Reason ?? "", ConsentActor.From(user), CollectionMethods.Api, ct)));

    private static async Task<Ok<LicenseRequestResponse>> WithdrawAsync(long id, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(LicenseRequestResponse.From(await licenses.WithdrawAsync(id, ConsentActor.From(user), CollectionMethods.Api, ct)));

    private static async Task<Ok<LicenseStatusResponse>> GetLicenseAsync(LicenseService licenses, CancellationToken ct) =>
        TypedResults.Ok(LicenseStatusResponse.From(await licenses.GetStatusAsync(ct)));

    private static async Task<Ok<LicenseStatusResponse>> ApplyAsync(
        LicenseApplyRequest request, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct)
    {
        await licenses.ApplyAsync(request.Token ?? "", ConsentActor.From(user), CollectionMethods.Api, ct);
        return TypedResults.Ok(LicenseStatusResponse.From(await licenses.GetStatusAsync(ct)));
    }

    private static async Task<Ok<LicenseStatusResponse>> RevokeAsync(
        LicenseRevocationRequest request, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct)
    {
        await licenses.RevokeAsync(request.Reason ?? "", ConsentActor.From(user), CollectionMethods.Api, ct);
        return TypedResults.Ok(LicenseStatusResponse.From(await licenses.GetStatusAsync(ct)));
    }
}
