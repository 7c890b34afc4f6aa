namespace TelemetryPortal.Web.Authentication;

/// <summary>The portal's roles.</summary>
public static class PortalRoles
{
    /// <summary>The installation's administrator: may do everything.</summary>
    public const string Admin = "Admin";

    /// <summary>Support staff: read history, previews and the consent history; review license requests.</summary>
    public const string Support = "Support";

    /// <summary>An enterprise customer's contact: files license requests and follows them.</summary>
    public const string Customer = "Customer";

    public static IReadOnlyList<string> All { get; } = [Admin, Support, Customer];

    /// <summary>The canonical spelling of <paramref name="role"/>, or <see langword="null"/> when it is not a role.</summary>
    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}
