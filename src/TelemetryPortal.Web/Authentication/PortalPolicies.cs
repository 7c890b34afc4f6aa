using Microsoft.AspNetCore.Authorization;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// Authorization policies, one per role. The admin may do everything, so every policy admits Admin.
/// Pages and endpoints name a policy, never a role.
/// </summary>
public static class PortalPolicies
{
    /// <summary>Admin only: choosing the level, sending now, accounts, licenses.</summary>
    public const string Admin = "Admin";

    /// <summary>Support staff (and the admin): history, previews, the consent history, license review.</summary>
    public const string Support = "Support";

    /// <summary>Customers (and the admin): license requests and their status.</summary>
    public const string Customer = "Customer";

    /// <summary>Adds the policies, and makes every endpoint require a signed-in user unless it says otherwise.</summary>
    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder) => builder
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin))
        .AddPolicy(Support, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin, PortalRoles.Support))
        .AddPolicy(Customer, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin, PortalRoles.Customer));
}
