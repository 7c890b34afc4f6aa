using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Configuration;

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
        app.MapPost("/account/external-login", (IOptions<PortalAuthenticationOptions> options, [FromForm(Name = "returnUrl")] string? returnUrl) =>
            options.Value.IsOidc
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])
                : Results.Problem(
                    title: "Single sign-on is off",
                    detail: "This portal signs people in with local accounts; set Authentication:Mode=Oidc to use a provider.",
                    statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous();

        app.MapPost("/account/logout", async (HttpContext context, IOptions<PortalAuthenticationOptions> options, [FromForm(Name = "returnUrl")] string? returnUrl) =>
        {
            // Read before the cookie goes: the id token is the provider's hint for ending its session.
            var idToken = options.Value.IsOidc
                ? await context.GetTokenAsync(CookieAuthenticationDefaults.AuthenticationScheme, "id_token")
                : null;
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return idToken is null
                ? Results.LocalRedirect(SignedOutUrl)
                : Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutUrl }, [OpenIdConnectDefaults.AuthenticationScheme]);
        }).AllowAnonymous();
        return app;
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
