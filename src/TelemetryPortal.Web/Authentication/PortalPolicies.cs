using Microsoft.AspNetCore.Authorization;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// Authorization policies. Who may reach which page or endpoint is decided by the <see cref="AccessMatrix"/>,
/// which is the default and the fallback policy; the role policies below only show or hide parts of a page
/// (e.g. the admin's "Send now" button). The admin may do everything, so every role policy admits Admin.
/// </summary>
public static class PortalPolicies
{
    /// <summary>Admin only: choosing the level, sending now, accounts, API tokens, licenses.</summary>
    public const string Admin = "Admin";

    /// <summary>Support staff (and the admin): history, previews, the consent history, license review.</summary>
    public const string Support = "Support";

    /// <summary>Customers (and the admin): license requests and their status.</summary>
    public const string Customer = "Customer";

    /// <summary>The access matrix, for a page or endpoint that names a policy explicitly.</summary>
    public const string Matrix = "AccessMatrix";

    /// <summary>The audiences a page or endpoint may declare with <see cref="AccessAttribute"/>.</summary>
    public static IReadOnlyList<Audience> Audiences { get; } =
        [Audience.Anonymous, Audience.SignedIn, Audience.Admin, Audience.Support, Audience.Customer, Audience.Staff, Audience.Customers, Audience.AnyRole];

    /// <summary>The name of the policy that admits <paramref name="audience"/>.</summary>
    public static string For(Audience audience) => $"Audience:{audience}";

    /// <summary>Adds the policies; every page and endpoint is checked against the matrix unless it names another policy.</summary>
    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder)
    {
        foreach (var audience in Audiences)
        {
            builder.AddPolicy(For(audience), p => p.AddRequirements(new AudienceRequirement(audience)));
        }

        var matrix = new AuthorizationPolicyBuilder().AddRequirements(new AccessMatrixRequirement()).Build();
        return builder
            .SetDefaultPolicy(matrix)
            .SetFallbackPolicy(matrix)
            .AddPolicy(Matrix, matrix)
            .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin))
            .AddPolicy(Support, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin, PortalRoles.Support))
            .AddPolicy(Customer, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin, PortalRoles.Customer));
    }
}
