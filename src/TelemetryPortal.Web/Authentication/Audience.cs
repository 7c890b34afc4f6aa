using System.Security.Claims;

namespace TelemetryPortal.Web.Authentication;

/// <summary>Who may reach a page or endpoint. Combine roles with <c>|</c>.</summary>
[Flags]
public enum Audience
{
    /// <summary>Nobody.</summary>
    None = 0,

    /// <summary>Anyone, signed in or not.</summary>
    Anonymous = 1,

    /// <summary>Any signed-in user, including one whose provider gave no portal role.</summary>
    SignedIn = 2,

    /// <summary>The installation's administrator.</summary>
    Admin = 4,

    /// <summary>Support staff.</summary>
    Support = 8,

    /// <summary>An enterprise customer's contact.</summary>
    Customer = 16,

    /// <summary>Admin and support staff.</summary>
    Staff = Admin | Support,

    /// <summary>Admin and customers.</summary>
    Customers = Admin | Customer,

    /// <summary>Every portal role (but not a signed-in user without one).</summary>
    AnyRole = Admin | Support | Customer,
}

/// <summary>Checks of an <see cref="Audience"/> against a user.</summary>
public static class AudienceExtensions
{
    /// <summary>Whether <paramref name="user"/> belongs to <paramref name="audience"/>.</summary>
    public static bool Admits(this Audience audience, ClaimsPrincipal user)
    {
        if (audience.HasFlag(Audience.Anonymous))
        {
            return true;
        }

        if (user.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        return audience.HasFlag(Audience.SignedIn)
            || (audience.HasFlag(Audience.Admin) && user.IsInRole(PortalRoles.Admin))
            || (audience.HasFlag(Audience.Support) && user.IsInRole(PortalRoles.Support))
            || (audience.HasFlag(Audience.Customer) && user.IsInRole(PortalRoles.Customer));
    }

    /// <summary>Whether a user holding exactly <paramref name="role"/> (or no role, or not signed in) belongs to <paramref name="audience"/>.</summary>
    public static bool AdmitsRole(this Audience audience, string? role, bool signedIn = true) =>
        audience.HasFlag(Audience.Anonymous)
        || (signedIn && (audience.HasFlag(Audience.SignedIn) || (role is not null && audience.HasFlag(FromRole(role)))));

    /// <summary>The audience of one role.</summary>
    public static Audience FromRole(string role) => role switch
    {
        PortalRoles.Admin => Audience.Admin,
        PortalRoles.Support => Audience.Support,
        PortalRoles.Customer => Audience.Customer,
        _ => Audience.None,
    };
}
