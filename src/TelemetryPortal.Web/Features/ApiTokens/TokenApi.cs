using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Web.Endpoints.Api;

namespace TelemetryPortal.Web.Features.ApiTokens;

/// <summary>A request to create an API token.</summary>
/// <param name="Name">What it is for (1 to 80 characters).</param>
/// <param name="Role">Its scope: Admin, Support or Customer.</param>
public sealed record CreateTokenRequest(string? Name, string? Role);

/// <summary>A token just created; <paramref name="Token"/> is shown this once and never again.</summary>
public sealed record CreatedTokenResponse(ApiTokenSummary Summary, string Token);

/// <summary><c>/api/v1/tokens</c>: the admin's API tokens (list, create, revoke).</summary>
public static class TokenApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("API tokens");
        tokens.MapGet("/", (ApiTokenService service, CancellationToken ct) => service.ListAsync(ct))
            .WithName("ListTokens")
            .WithSummary("Every API token, newest first, without secrets (Admin).");

        tokens.MapPost("/", async Task<Results<Created<CreatedTokenResponse>, ProblemHttpResult>> (
                CreateTokenRequest request, ApiTokenService service, HttpContext context, CancellationToken ct) =>
            {
                try
                {
                    var created = await service.CreateAsync(request.Name ?? "", request.Role ?? "", context.User.Identity?.Name ?? "unknown", ct);
                    return TypedResults.Created($"{ApiEndpoints.Prefix}/tokens/{created.Summary.Id}", new CreatedTokenResponse(created.Summary, created.Token));
                }
                catch (ApiTokenException ex)
                {
                    return TypedResults.Problem(title: "Invalid token request", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
                }
            })
            .WithName("CreateToken")
            .WithSummary("Creates a token with a name and a role; the response holds the token, which is not shown again (Admin).");

        tokens.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (int id, ApiTokenService service, HttpContext context, CancellationToken ct) =>
                await service.RevokeAsync(id, context.User.Identity?.Name ?? "unknown", ct)
                    ? TypedResults.NoContent()
                    : TypedResults.Problem(title: "Unknown token", detail: $"There is no API token with id {id}.", statusCode: StatusCodes.Status404NotFound))
            .WithName("RevokeToken")
            .WithSummary("Revokes a token: it is refused from then on (Admin).");
        return api;
    }
}
