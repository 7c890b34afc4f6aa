using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using TelemetryPortal.Web.Features.Accounts;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// Ends a local account's sessions once its password is reset or it is disabled: each session carries
/// the account's security stamp from sign-in, and a session whose stamp no longer matches is over.
/// Sessions signed in by the OpenID Connect provider are the provider's to end.
/// </summary>
public static class LocalSessionValidation
{
    /// <summary>Whether <paramref name="user"/> may go on; always true for users who are not local accounts.</summary>
    public static async Task<bool> IsValidAsync(AccountService accounts, ClaimsPrincipal user, CancellationToken ct) =>
        user.GetUserId() is not { } userId
        || await accounts.IsSessionValidAsync(userId, user.FindFirstValue(PortalClaims.SecurityStamp), ct);

    /// <summary>The cookie's check on every request: an ended session is signed out and treated as anonymous.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        if (context.Principal is { } user && !await IsValidAsync(accounts, user, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

/// <summary>
/// The same check for a live Blazor circuit, which keeps the user it started with: every minute, and
/// an ended session turns the circuit anonymous (its pages then send the user to sign in).
/// </summary>
public sealed class LocalSessionRevalidatingStateProvider(ILoggerFactory loggers, AccountService accounts)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        LocalSessionValidation.IsValidAsync(accounts, authenticationState.User, cancellationToken);
}
