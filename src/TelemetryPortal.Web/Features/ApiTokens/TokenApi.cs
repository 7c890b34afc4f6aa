using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Endpoints.Api;

namespace TelemetryPortal.Web.Features.ApiTokens;

/// <summary>A request to create an API token.</summary>
/// <param name="Name">What it is for (1 to 80 characters).</param>
/// <param name="Role">Its scope: Admin, Support or Customer.</param>
public sealed record CreateTokenRequest(string? Name, string? Role);

/// <summary>A token just created; <paramref name="Token"/> is shown this once and never again.</summary>
public sealed record CreatedTokenResponse(ApiTokenSummary Summary, string Token)
{
    public static CreatedTokenResponse From(CreatedApiToken created) => new(created.Summary, created.Token);
}

/// <summary><c>/api/v1/tokens</c>: the admin's API tokens (list, create, revoke).</summary>
public static class TokenApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("API tokens").RequireAccess(Audience.Admin);
        tokens.MapGet("/", ListAsync)
            .WithName("ListTokens")
            .WithSummary("Every API token, newest first, without secrets (Admin).");

        tokens.MapPost("/", CreateAsync)
            .WithName("CreateToken")
            .WithSummary("Creates a token with a name and a role; the response holds the token, which is not shown again (Admin).");

        tokens.MapDelete("/{id:int}", RevokeAsync)
            .WithName("RevokeToken")
            .WithSummary("Revokes a token: it is refused from then on (Admin).");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ApiTokenSummary>>> ListAsync(ApiTokenService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(ct));

    private static async Task<Created<CreatedTokenResponse>> CreateAsync(CreateTokenRequest request, ApiTokenService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var created = await service.CreateAsync(request.Name ?? "", request.Role ?? "", UserName(user), ct);
        return TypedResults.Created($"{ApiEndpoints.Prefix}/tokens/{created.Summary.Id}", CreatedTokenResponse.From(created));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(int id, ApiTokenService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.RevokeAsync(id, UserName(user), ct)
            ? TypedResults.NoContent()
            : Problems.Of(ProblemKind.NotFound, "Unknown token", $"There is no API token with id {id}.");

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
