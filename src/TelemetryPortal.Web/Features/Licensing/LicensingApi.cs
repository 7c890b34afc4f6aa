using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints.Api;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>A license request as the API shows it; the issued license is included once approved.</summary>
public sealed record LicenseRequestResponse(
    long Id, string Organisation, string ContactName, string ContactEmail, Guid DeploymentId, string Reason, int TermDays,
    string Status, string RequestedBy, DateTime RequestedAt, string? ReviewedBy, DateTime? ReviewedAt, string? DenialReason,
    int? GrantedTermDays, Guid? LicenseId, string? LicenseToken)
{
    public static LicenseRequestResponse From(LicenseRequestView r) => new(
        r.Id, r.Organisation, r.ContactName, r.ContactEmail, r.DeploymentId, r.Reason, r.TermDays, r.Status.ToString(), r.RequestedByName,
        r.RequestedAt, r.ReviewedBy, r.ReviewedAt, r.DenialReason, r.GrantedTermDays, r.LicenseId, r.LicenseToken);
}

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

public sealed record ApproveBody(int TermDays);

public sealed record DenyBody(string Reason);

public sealed record ApplyBody(string Token);

public sealed record RevokeBody(string? Reason);

public static class LicensingApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var requests = api.MapGroup("/licenses/requests").WithTags("Licenses");

        requests.MapPost("/", async (LicenseRequestInput body, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
                await Run(async () =>
                {
                    var created = await licenses.RequestAsync(body, ConsentActor.From(user), CollectionMethods.Api, ct);
                    return Results.Created($"{ApiEndpoints.Prefix}/licenses/requests/{created.Id}", LicenseRequestResponse.From(created));
                }))
            .WithName("RequestLicense")
            .WithSummary("File a zero-telemetry license request (Customer, Admin).");

        requests.MapGet("/", async (LicenseService licenses, ClaimsPrincipal user, IAuthorizationService authorization, CancellationToken ct) =>
            {
                var all = (await authorization.AuthorizeAsync(user, PortalPolicies.Support)).Succeeded;
                return (await licenses.ListAsync(ConsentActor.From(user), all, ct)).Select(LicenseRequestResponse.From);
            })
            .WithName("ListLicenseRequests")
            .WithSummary("License requests: all of them for support staff and the admin, one's own for customers.");

        requests.MapPost("/{id:long}/approve", async (long id, ApproveBody body, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
                await Run(async () => Results.Ok(LicenseRequestResponse.From(await licenses.ApproveAsync(id, body.TermDays, ConsentActor.From(user), CollectionMethods.Api, ct)))))
            .WithName("ApproveLicenseRequest")
            .WithSummary("Approve a pending request with a term in days: signs a license (Support).");

        requests.MapPost("/{id:long}/deny", async (long id, DenyBody body, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
                await Run(async () => Results.Ok(LicenseRequestResponse.From(await licenses.DenyAsync(id, body.Reason, ConsentActor.From(user), CollectionMethods.Api, ct)))))
            .WithName("DenyLicenseRequest")
            .WithSummary("Deny a pending request with a reason the requester sees (Support).");

        requests.MapPost("/{id:long}/withdraw", async (long id, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
                await Run(async () => Results.Ok(LicenseRequestResponse.From(await licenses.WithdrawAsync(id, ConsentActor.From(user), CollectionMethods.Api, ct)))))
            .WithName("WithdrawLicenseRequest")
            .WithSummary("Withdraw one's own pending request.");

        var license = api.MapGroup("/license").WithTags("Licenses");
        license.MapGet("/", async (LicenseService licenses, CancellationToken ct) => LicenseStatusResponse.From(await licenses.GetStatusAsync(ct)))
            .WithName("GetLicense")
            .WithSummary("The license in force: state, organisation, term, days left, the raw token.");

        license.MapPut("/", async (ApplyBody body, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var verdict = await licenses.ApplyAsync(body.Token ?? "", ConsentActor.From(user), CollectionMethods.Api, ct);
                return verdict.IsValid
                    ? Results.Ok(LicenseStatusResponse.From(await licenses.GetStatusAsync(ct)))
                    : Results.Problem(title: "Invalid license", detail: verdict.Message, statusCode: StatusCodes.Status422UnprocessableEntity,
                        extensions: new Dictionary<string, object?> { ["failure"] = verdict.Failure.ToString() });
            })
            .WithName("ApplyLicense")
            .WithSummary("Apply a license token (Admin); 422 with the reason when it is not valid for this deployment.");

        license.MapPost("/revoke", async (RevokeBody body, LicenseService licenses, ClaimsPrincipal user, CancellationToken ct) =>
                await Run(async () =>
                {
                    await licenses.RevokeAsync(body.Reason ?? "", ConsentActor.From(user), CollectionMethods.Api, ct);
                    return Results.Ok(LicenseStatusResponse.From(await licenses.GetStatusAsync(ct)));
                }))
            .WithName("RevokeLicense")
            .WithSummary("Revoke the license in force (Admin); level 0 stops at once.");
        return api;
    }

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (LicenseException ex)
        {
            var status = ex.NotFound ? StatusCodes.Status404NotFound : ex.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            return Results.Problem(title: ex.NotFound ? "Not found" : ex.Forbidden ? "Not allowed" : "Bad request", detail: ex.Message, statusCode: status);
        }
    }
}
