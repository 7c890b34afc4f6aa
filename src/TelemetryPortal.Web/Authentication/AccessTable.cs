using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.StaticAssets;

namespace TelemetryPortal.Web.Authentication;

/// <summary>One line of the <see cref="AccessTable"/>: who may reach a route, as the route itself declares.</summary>
/// <param name="Route">The route template as mapped (<c>/api/v1/history/{id:long}</c>, a page's <c>@page</c>), <c>/_blazor/**</c> for Blazor's circuit, or <see cref="AccessTable.StaticAssets"/>.</param>
/// <param name="Methods">The HTTP methods, or "any" for pages (GET and their form posts).</param>
/// <param name="Audience">Who may reach it, or <see langword="null"/> when the route declares nothing (and is refused to everyone).</param>
/// <param name="Note">Why, when the audience alone does not say.</param>
public sealed record AccessLine(string Route, string Methods, Audience? Audience, string? Note);

/// <summary>
/// Who may do what, read from the <see cref="AccessAttribute"/> of every endpoint the app maps: the README's table
/// and the test that walks every endpoint as every role both come from here, so neither can drift from the code.
/// </summary>
public static class AccessTable
{
    /// <summary>The <see cref="AccessLine.Route"/> that stands for every static web asset.</summary>
    public const string StaticAssets = "(static assets)";

    /// <summary>Every route the app maps, one line each (static assets and Blazor's circuit folded into one line each), sorted.</summary>
    public static IReadOnlyList<AccessLine> From(EndpointDataSource endpoints) =>
    [
        .. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(Line)
            .Distinct()
            .OrderBy(l => Section(l.Route))
            .ThenBy(l => l.Route, StringComparer.Ordinal)
            .ThenBy(l => l.Methods, StringComparer.Ordinal),
    ];

    /// <summary>The table as Markdown, as the README shows it.</summary>
    public static string ToMarkdown(IEnumerable<AccessLine> lines)
    {
        var markdown = new StringBuilder("| method | route | who | note |\n|---|---|---|---|\n");
        foreach (var line in lines)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"| {line.Methods} | `{line.Route}` | {Describe(line.Audience)} | {line.Note} |\n");
        }

        return markdown.ToString();
    }

    /// <summary>The audience in words.</summary>
    public static string Describe(Audience? audience) => audience switch
    {
        null => "nobody (no access declared)",
        Audience.Anonymous => "anyone",
        Audience.SignedIn => "any signed-in user",
        Audience.AnyRole => "Admin, Support, Customer",
        { } a => string.Join(", ", new[] { Audience.Admin, Audience.Support, Audience.Customer }.Where(r => a.HasFlag(r))),
    };

    private static AccessLine Line(RouteEndpoint endpoint)
    {
        var access = endpoint.Metadata.GetMetadata<AccessAttribute>();
        if (endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return new AccessLine(StaticAssets, "GET", access?.Audience, access?.Note);
        }

        var route = Normalize(endpoint.RoutePattern.RawText ?? "");
        if (route.StartsWith("/_blazor", StringComparison.Ordinal))
        {
            route = "/_blazor/**";
        }

        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        var isPage = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null;
        return new AccessLine(
            route,
            isPage || methods is null or { Count: 0 } ? "any" : string.Join(", ", methods.Order(StringComparer.Ordinal)),
            access?.Audience,
            access?.Note);
    }

    // Pages first, then the API, then machine endpoints and the framework's own.
    private static int Section(string route) =>
        route.StartsWith("/api/", StringComparison.Ordinal) || route.StartsWith("/openapi/", StringComparison.Ordinal) ? 1
        : route.StartsWith("/_", StringComparison.Ordinal) || route == StaticAssets || route.StartsWith("/{", StringComparison.Ordinal) ? 3
        : route.StartsWith("/account/", StringComparison.Ordinal) || route is "/error" or "/not-found" or "/healthz" ? 2
        : route is "/snapshot" or "/deployment" || route.StartsWith("/ingest/", StringComparison.Ordinal) || route.StartsWith("/collector/", StringComparison.Ordinal) ? 2
        : 0;

    // A group's "/" endpoint is mapped as "/api/v1/history/"; the table writes it without the slash.
    private static string Normalize(string template)
    {
        var route = template.StartsWith('/') ? template : "/" + template;
        return route.Length > 1 ? route.TrimEnd('/') : route;
    }
}
