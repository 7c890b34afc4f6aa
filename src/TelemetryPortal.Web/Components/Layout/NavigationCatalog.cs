using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Components.Layout;

/// <summary>One entry of the navigation drawer; shown only to users the policy admits.</summary>
/// <param name="Title">The link text.</param>
/// <param name="Href">The page's address.</param>
/// <param name="Icon">A MudBlazor icon.</param>
/// <param name="Policy">One of <see cref="PortalPolicies"/>, or <see langword="null"/> for every signed-in user.</param>
/// <param name="Match">How the current address selects the link.</param>
public sealed record NavigationItem(string Title, string Href, string Icon, string? Policy, NavLinkMatch Match = NavLinkMatch.Prefix);

/// <summary>The pages the drawer links to. A page's policy here matches the one on the page itself.</summary>
public static class NavigationCatalog
{
    public static IReadOnlyList<NavigationItem> Items { get; } =
    [
        new("Dashboard", "/", Icons.Material.Filled.Dashboard, null, NavLinkMatch.All),
        new("Telemetry level", "/telemetry/level", Icons.Material.Filled.Tune, PortalPolicies.Admin),
        new("Preview", "/telemetry/preview", Icons.Material.Filled.Preview, PortalPolicies.Support),
        new("History", "/telemetry/history", Icons.Material.Filled.History, PortalPolicies.Support),
        new("What we collect", "/telemetry/dictionary", Icons.Material.Filled.MenuBook, null),
        new("Consent history", "/consent", Icons.Material.Filled.FactCheck, PortalPolicies.Support),
        new("License", "/license", Icons.Material.Filled.WorkspacePremium, null, NavLinkMatch.All),
        new("Request a license", "/licenses/request", Icons.Material.Filled.RequestPage, PortalPolicies.Customer),
        new("License requests", "/licenses/review", Icons.Material.Filled.Gavel, PortalPolicies.Support),
        new("Accounts", "/admin/accounts", Icons.Material.Filled.ManageAccounts, PortalPolicies.Admin),
    ];
}
