using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Accounts;

/// <summary>
/// Sign-in with the OpenID Connect provider, and sign-out. Local sign-in is the static form at
/// <c>/account/login</c>.
/// </summary>
public static class AccountEndpoints
{
    /// <summary>Where a finished sign-out lands.</summary>
    public const string SignedOutUrl = "/account/login?signedOut=true";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Binding from the form makes both endpoints validate the antiforgery token.
        app.MapPost("/account/external-login", ExternalLogin)
            .RequireAccess(Audience.Anonymous, "starts the OpenID Connect sign-in; antiforgery-checked");

        app.MapPost("/account/logout", LogoutAsync)
            .RequireAccess(Audience.Anonymous, "antiforgery-checked; also ends an expired session");
        return app;
    }

    private static Results<ChallengeHttpResult, ProblemHttpResult> ExternalLogin(
        IOptions<PortalAuthenticationOptions> options, [FromForm(Name = "returnUrl")] string? returnUrl) =>
        options.Value.IsOidc
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])
            : Problems.Of(ProblemKind.NotFound, "Single sign-on is off",
                "This portal signs people in with local accounts; set Authentication:Mode=Oidc to use a provider.");

    private static async Task<Results<RedirectHttpResult, SignOutHttpResult>> LogoutAsync(
        HttpContext context, IOptions<PortalAuthenticationOptions> options, [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        // Read before the cookie goes: the id token is the provider's hint for ending its session.
        var idToken = options.Value.IsOidc
            ? await context.GetTokenAsync(CookieAuthenticationDefaults.AuthenticationScheme, "id_token")
            : null;
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return idToken is null
            ? TypedResults.LocalRedirect(SignedOutUrl)
            : TypedResults.SignOut(new AuthenticationProperties { RedirectUri = SignedOutUrl }, [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// <paramref name="url"/> when it is a path on this site, else <c>/</c>: an absolute or protocol-relative URL
    /// would make sign-in an open redirect.
    /// </summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
