using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// One line of the <see cref="AccessMatrix"/>: who may reach a route.
/// </summary>
/// <param name="Route">
/// The route template exactly as mapped (<c>/api/v1/history/{id:long}</c>, <c>@page</c> text), or a prefix ending in
/// <c>/**</c>, or <see cref="AccessMatrix.StaticAssetsRoute"/> for every file served by <c>MapStaticAssets</c>.
/// </param>
/// <param name="Audience">Who may reach it.</param>
/// <param name="Method">The HTTP method, or <see langword="null"/> for every method the route accepts (pages take GET and form POSTs).</param>
/// <param name="Note">Why, when the line alone does not say (e.g. a further check the endpoint makes).</param>
public sealed record AccessRule(string Route, Audience Audience, string? Method = null, string? Note = null)
{
    /// <summary>Whether this line is a prefix (<c>/_blazor/**</c>).</summary>
    public bool IsPrefix => Route.EndsWith("/**", StringComparison.Ordinal);

    /// <summary>Whether the line applies to <paramref name="method"/>.</summary>
    public bool AppliesTo(string method) => Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Who may do what in the portal: one line per page, API endpoint, download and machine endpoint. It is
/// enforced for every HTTP request (<see cref="AccessMatrixMiddleware"/>) and for Blazor's in-circuit
/// navigation (the default and fallback authorization policy, <see cref="AccessMatrixHandler"/>); the navigation
/// drawer shows a link only to users the line of its page admits. A route the app maps without a line here is
/// refused to everyone, and a test fails until the line is added.
/// </summary>
public static class AccessMatrix
{
    /// <summary>The <see cref="AccessRule.Route"/> that stands for every static web asset.</summary>
    public const string StaticAssetsRoute = "(static assets)";

    /// <summary>Every line. To add a page or endpoint, add one line to its section.</summary>
    public static IReadOnlyList<AccessRule> Rules { get; } =
    [
        // Sign-in, errors and machines.
        Page("/account/login", Audience.Anonymous),
        Post("/account/external-login", Audience.Anonymous, "starts the OpenID Connect sign-in; antiforgery-checked"),
        Post("/account/logout", Audience.Anonymous, "antiforgery-checked; also ends an expired session"),
        Page("/account/access-denied", Audience.SignedIn),
        Page("/account/no-access", Audience.SignedIn),
        Page("/error", Audience.Anonymous),
        Page("/not-found", Audience.SignedIn),
        Get("/healthz", Audience.Anonymous),
        Post("/snapshot", Audience.Anonymous, "Coder's reports (CODER_TELEMETRY_URL); callers limited by Telemetry:Proxy:AllowedAddresses"),
        Post("/deployment", Audience.Anonymous, "Coder's reports (CODER_TELEMETRY_URL); callers limited by Telemetry:Proxy:AllowedAddresses"),
        Post("/ingest/coder/{kind}", Audience.Anonymous, "callers limited by Telemetry:Proxy:AllowedAddresses"),
        Post("/collector/{kind}", Audience.Anonymous, "callers limited by Telemetry:Proxy:AllowedAddresses"),
        new(StaticAssetsRoute, Audience.Anonymous),
        Get("/{**path:file}", Audience.Anonymous, "Development only: static files not yet in the build manifest"),
        Get("/_framework/opaque-redirect", Audience.Anonymous, "Blazor's redirect after an enhanced form post; the target is data-protected"),
        // Blazor's circuit: only users with a role ever get an interactive page.
        new("/_blazor/**", Audience.AnyRole),

        // Pages.
        Page("/", Audience.AnyRole),
        Page("/telemetry/preview", Audience.Staff),
        Page("/telemetry/history", Audience.Staff),
        Page("/telemetry/history/{Id:long}", Audience.Staff),
        Page("/telemetry/history/compare", Audience.Staff),
        Page("/telemetry/dictionary", Audience.AnyRole),
        Page("/telemetry/level", Audience.Admin),
        Page("/consent", Audience.Staff),
        Page("/license", Audience.AnyRole),
        Page("/licenses/request", Audience.Customers),
        Page("/licenses/review", Audience.Staff),
        Page("/admin/accounts", Audience.Admin),
        Page("/admin/tokens", Audience.Admin),

        // The JSON API and its description.
        Get("/openapi/{documentName}.json", Audience.AnyRole),
        Get("/api/v1/telemetry/level", Audience.AnyRole),
        Put("/api/v1/telemetry/level", Audience.Admin),
        Get("/api/v1/telemetry/preview", Audience.Staff),
        Post("/api/v1/telemetry/send-now", Audience.Admin),
        Get("/api/v1/history", Audience.Staff),
        Get("/api/v1/history/{id:long}", Audience.Staff),
        Get("/api/v1/history/{id:long}/payload", Audience.Staff),
        Get("/api/v1/history/diff", Audience.Staff),
        Get("/api/v1/history/daily", Audience.Staff),
        Get("/api/v1/history/export", Audience.Staff),
        Get("/api/v1/dictionary", Audience.AnyRole),
        Get("/api/v1/dictionary/export", Audience.AnyRole),
        Get("/api/v1/dictionary/levels", Audience.AnyRole),
        Get("/api/v1/dictionary/unclassified", Audience.AnyRole),
        Get("/api/v1/consent", Audience.Staff),
        Get("/api/v1/consent/verify", Audience.Staff),
        Get("/api/v1/consent/export", Audience.Staff),
        Get("/api/v1/consent/{id:long}/receipt", Audience.Staff),
        Post("/api/v1/consent/receipts/verify", Audience.Staff),
        Get("/api/v1/consent/policies/{version}", Audience.Staff),
        Get("/api/v1/tokens", Audience.Admin),
        Post("/api/v1/tokens", Audience.Admin),
        Delete("/api/v1/tokens/{id:int}", Audience.Admin),
        Get("/api/v1/licenses/requests", Audience.AnyRole, "Admin and customers see their own; support sees all"),
        Post("/api/v1/licenses/requests", Audience.Customers),
        Post("/api/v1/licenses/requests/{id:long}/approve", Audience.Staff),
        Post("/api/v1/licenses/requests/{id:long}/deny", Audience.Staff),
        Post("/api/v1/licenses/requests/{id:long}/withdraw", Audience.Customers, "only the requester's own request"),
        Get("/api/v1/license", Audience.AnyRole),
        Put("/api/v1/license", Audience.Admin),
        Post("/api/v1/license/revoke", Audience.Admin),
    ];

    /// <summary>The line for a request to <paramref name="endpoint"/> with <paramref name="method"/>, or <see langword="null"/> when there is none.</summary>
    public static AccessRule? Find(Endpoint endpoint, string method)
    {
        if (endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return Rules.FirstOrDefault(r => r.Route == StaticAssetsRoute);
        }

        return endpoint is RouteEndpoint route ? Find(route.RoutePattern, method) : null;
    }

    /// <summary>The line for <paramref name="pattern"/> and <paramref name="method"/>, or <see langword="null"/>.</summary>
    public static AccessRule? Find(RoutePattern pattern, string method) => Find(pattern.RawText ?? "", method);

    /// <summary>The line for a route template and <paramref name="method"/>, or <see langword="null"/>.</summary>
    public static AccessRule? Find(string routeTemplate, string method)
    {
        var route = Normalize(routeTemplate);
        return Rules.FirstOrDefault(r => !r.IsPrefix && string.Equals(r.Route, route, StringComparison.OrdinalIgnoreCase) && r.AppliesTo(method))
            ?? Rules.Where(r => r.IsPrefix && r.AppliesTo(method) && IsUnder(route, r.Route[..^3]))
                .MaxBy(r => r.Route.Length);
    }

    /// <summary>The line of a page, by the address the navigation drawer links to (no route parameters).</summary>
    public static AccessRule? FindPage(string href) => Find(href.Split('?')[0], HttpMethods.Get);

    // A group's "/" endpoint is mapped as "/api/v1/history/"; the matrix writes it without the slash.
    private static string Normalize(string template)
    {
        var route = template.StartsWith('/') ? template : "/" + template;
        return route.Length > 1 ? route.TrimEnd('/') : route;
    }

    private static bool IsUnder(string route, string prefix) =>
        string.Equals(route, prefix, StringComparison.OrdinalIgnoreCase)
        || route.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);

    private static AccessRule Page(string route, Audience audience) => new(route, audience);

    private static AccessRule Get(string route, Audience audience, string? note = null) => new(route, audience, HttpMethods.Get, note);

    private static AccessRule Post(string route, Audience audience, string? note = null) => new(route, audience, HttpMethods.Post, note);

    private static AccessRule Put(string route, Audience audience, string? note = null) => new(route, audience, HttpMethods.Put, note);

    private static AccessRule Delete(string route, Audience audience, string? note = null) => new(route, audience, HttpMethods.Delete, note);
}
