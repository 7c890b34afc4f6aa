using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Features.ApiTokens;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// <c>Authorization: Bearer tp_...</c> for the JSON API: an API token created by the admin. The user is the
/// token, in the token's role; a revoked or unknown token gets 401.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>The claim that holds the token's id (the name identifier is not a local account id).</summary>
    public const string TokenIdClaim = "api_token_id";

    /// <summary>Whether <paramref name="request"/> carries a bearer token.</summary>
    public static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearerToken(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var token = await tokens.ValidateAsync(presented, Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("The API token is unknown or revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, $"token:{token.Id.ToString(CultureInfo.InvariantCulture)}"),
                new Claim(TokenIdClaim, token.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, $"{token.Prefix}… ({token.Name})"),
                new Claim(PortalClaims.DisplayName, token.Name),
                new Claim(ClaimTypes.Role, token.Role),
            ],
            SchemeName,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"Telemetry Portal\", error=\"invalid_token\"";
        return Task.CompletedTask;
    }
}
