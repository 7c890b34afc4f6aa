using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Components.Layout;

/// <summary>One entry of the navigation drawer; shown only to users the <see cref="AccessMatrix"/> admits to its page.</summary>
/// <param name="Title">The link text.</param>
/// <param name="Href">The page's address.</param>
/// <param name="Icon">A MudBlazor icon.</param>
/// <param name="Match">How the current address selects the link.</param>
public sealed record NavigationItem(string Title, string Href, string Icon, NavLinkMatch Match = NavLinkMatch.Prefix)
{
    /// <summary>Who may open the page: its line in the access matrix (nobody when it has none).</summary>
    public Audience Audience => AccessMatrix.FindPage(Href)?.Audience ?? Audience.None;
}

/// <summary>The pages the drawer links to. Who sees a link is decided by the access matrix, like the page itself.</summary>
public static class NavigationCatalog
{
    public static IReadOnlyList<NavigationItem> Items { get; } =
    [
        new("Dashboard", "/", Icons.Material.Filled.Dashboard, NavLinkMatch.All),
        new("Telemetry level", "/telemetry/level", Icons.Material.Filled.Tune),
        new("Preview", "/telemetry/preview", Icons.Material.Filled.Preview),
        new("History", "/telemetry/history", Icons.Material.Filled.History),
        new("What we collect", "/telemetry/dictionary", Icons.Material.Filled.MenuBook),
        new("Consent history", "/consent", Icons.Material.Filled.FactCheck),
        new("License", "/license", Icons.Material.Filled.WorkspacePremium, NavLinkMatch.All),
        new("Request a license", "/licenses/request", Icons.Material.Filled.RequestPage),
        new("License requests", "/licenses/review", Icons.Material.Filled.Gavel),
        new("Accounts", "/admin/accounts", Icons.Material.Filled.ManageAccounts),
        new("API tokens", "/admin/tokens", Icons.Material.Filled.Token),
    ];

    /// <summary>The items <paramref name="user"/> may open, in order.</summary>
    public static IEnumerable<NavigationItem> For(System.Security.Claims.ClaimsPrincipal user) => Items.Where(i => i.Audience.Admits(user));
}
