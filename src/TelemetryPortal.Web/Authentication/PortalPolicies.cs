using Microsoft.AspNetCore.Authorization;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// Authorization policies: one per <see cref="Audience"/> a page or endpoint may declare with <see cref="AccessAttribute"/>.
/// A route that declares nothing falls to <see cref="DeclaredAccessRequirement"/> and is refused; a plain
/// <c>&lt;AuthorizeView&gt;</c> admits any portal role. The named policies below show or hide parts of a page
/// (e.g. the admin's "Send now" button); the admin may do everything, so each admits Admin.
/// </summary>
public static class PortalPolicies
{
    /// <summary>Admin only: choosing the level, sending now, accounts, API tokens, licenses.</summary>
    public const string Admin = Prefix + nameof(Audience.Admin);

    /// <summary>Support staff (and the admin): history, previews, the consent history, license review.</summary>
    public const string Support = Prefix + nameof(Audience.Staff);

    /// <summary>Customers (and the admin): license requests and their status.</summary>
    public const string Customer = Prefix + nameof(Audience.Customers);

    private const string Prefix = "Audience:";

    /// <summary>The audiences a page or endpoint may declare with <see cref="AccessAttribute"/>.</summary>
    public static IReadOnlyList<Audience> Audiences { get; } =
        [Audience.Anonymous, Audience.SignedIn, Audience.Admin, Audience.Support, Audience.Customer, Audience.Staff, Audience.Customers, Audience.AnyRole];

    /// <summary>The name of the policy that admits <paramref name="audience"/>.</summary>
    public static string For(Audience audience) => Prefix + audience;

    /// <summary>Adds a policy per audience, any portal role as the default, and refusal of what declares nothing as the fallback.</summary>
    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder)
    {
        foreach (var audience in Audiences)
        {
            builder.AddPolicy(For(audience), p => p.AddRequirements(new AudienceRequirement(audience)));
        }

        return builder
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().AddRequirements(new AudienceRequirement(Audience.AnyRole)).Build())
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new DeclaredAccessRequirement()).Build());
    }
}
