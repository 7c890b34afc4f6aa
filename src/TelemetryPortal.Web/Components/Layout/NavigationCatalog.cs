using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Components.Layout;

/// <summary>Puts a page in the navigation drawer: <c>@attribute [NavigationEntry("History", Icons.Material.Filled.History, 40)]</c>.</summary>
/// <param name="title">The link text.</param>
/// <param name="icon">A MudBlazor icon.</param>
/// <param name="order">Where in the drawer, smallest first.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NavigationEntryAttribute(string title, string icon, int order) : Attribute
{
    public string Title { get; } = title;

    public string Icon { get; } = icon;

    public int Order { get; } = order;

    /// <summary>How the current address selects the link.</summary>
    public NavLinkMatch LinkMatch { get; init; } = NavLinkMatch.Prefix;
}

/// <summary>One entry of the navigation drawer.</summary>
/// <param name="Title">The link text.</param>
/// <param name="Href">The page's address (its <c>@page</c> template).</param>
/// <param name="Icon">A MudBlazor icon.</param>
/// <param name="Match">How the current address selects the link.</param>
/// <param name="Audience">Who may open the page: its <see cref="AccessAttribute"/> (nobody when it declares none).</param>
public sealed record NavigationItem(string Title, string Href, string Icon, NavLinkMatch Match, Audience Audience);

/// <summary>
/// The pages the drawer links to: every page with a <see cref="NavigationEntryAttribute"/>, in order. A user sees the
/// link only when the page's own <see cref="AccessAttribute"/> admits them.
/// </summary>
public static class NavigationCatalog
{
    public static IReadOnlyList<NavigationItem> Items { get; } =
    [
        .. typeof(NavigationCatalog).Assembly.GetTypes()
            .Select(page => (Page: page, Entry: page.GetCustomAttribute<NavigationEntryAttribute>()))
            .Where(p => p.Entry is not null)
            .OrderBy(p => p.Entry!.Order)
            .Select(p => new NavigationItem(
                p.Entry!.Title,
                p.Page.GetCustomAttributes<RouteAttribute>().First().Template,
                p.Entry.Icon,
                p.Entry.LinkMatch,
                p.Page.GetCustomAttribute<AccessAttribute>()?.Audience ?? Audience.None)),
    ];

    /// <summary>The items <paramref name="user"/> may open, in order.</summary>
    public static IEnumerable<NavigationItem> For(ClaimsPrincipal user) => Items.Where(i => i.Audience.Admits(user));
}
