namespace TelemetryPortal.Web.Features.Accounts;

/// <summary>A local account.</summary>
public sealed class UserAccount
{
    public int Id { get; set; }

    /// <summary>The sign-in name, stored in lower case so that names are unique regardless of case.</summary>
    public required string UserName { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>One of <see cref="Authentication.PortalRoles"/>.</summary>
    public required string Role { get; set; }

    /// <summary>ASP.NET Core's <c>PasswordHasher</c> output.</summary>
    public required string PasswordHash { get; set; }

    /// <summary>Failed sign-ins since the last success or lockout.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>UTC; sign-in is refused until then.</summary>
    public DateTime? LockedUntil { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }

    /// <summary>
    /// Changes whenever the account's sessions must end (password reset, disabling). Every session
    /// carries the value it was signed in with; one that no longer matches is signed out.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    /// <summary>UTC; set while an admin has disabled the account: it cannot sign in, and its sessions end.</summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>The user's light/dark choice, remembered across sessions.</summary>
    public bool PrefersDarkMode { get; set; }

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
