using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace TelemetryPortal.Web.Endpoints;

/// <summary>Sign-out. Sign-in is the static form at <c>/account/login</c>.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Binding from the form makes the endpoint validate the antiforgery token.
        app.MapPost("/account/logout", async (HttpContext context, [FromForm(Name = "returnUrl")] string? returnUrl) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/account/login?signedOut=true");
        }).AllowAnonymous();
        return app;
    }
}
