using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace TelemetryPortal.Web.Authentication;

/// <summary>How a signed-in user is represented in claims, and read back.</summary>
public static class PortalClaims
{
    public const string DisplayName = "display_name";

    /// <summary>The account's security stamp when the session began (local accounts only).</summary>
    public const string SecurityStamp = "security_stamp";

    public static ClaimsPrincipal CreatePrincipal(int userId, string userName, string displayName, string role, string securityStamp) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, userName),
                new Claim(DisplayName, displayName),
                new Claim(ClaimTypes.Role, role),
                new Claim(SecurityStamp, securityStamp),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme,
            ClaimTypes.Name,
            ClaimTypes.Role));

    /// <summary>The local account id, or <see langword="null"/> for users who are not local accounts.</summary>
    public static int? GetUserId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string GetDisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayName) ?? user.Identity?.Name ?? "Unknown user";

    /// <summary>The user's portal role, or <see langword="null"/> when they hold none.</summary>
    public static string? GetPortalRole(this ClaimsPrincipal user) => PortalRoles.All.FirstOrDefault(user.IsInRole);
}
