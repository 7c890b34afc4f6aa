using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication;
using RouteData = Microsoft.AspNetCore.Components.RouteData;

namespace TelemetryPortal.Web.Authentication;

/// <summary>Met when the <see cref="AccessMatrix"/> admits the user to the page or endpoint being authorized.</summary>
public sealed class AccessMatrixRequirement : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="AccessMatrixRequirement"/> for an HTTP request (the resource is the <see cref="HttpContext"/>)
/// and for Blazor's in-circuit navigation (the resource is the page's <see cref="Microsoft.AspNetCore.Components.RouteData"/>).
/// A route without a line is refused; a check that is not about a route (a plain <c>&lt;AuthorizeView&gt;</c>)
/// admits any user with a portal role.
/// </summary>
public sealed class AccessMatrixHandler : AuthorizationHandler<AccessMatrixRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessMatrixRequirement requirement)
    {
        var audience = context.Resource switch
        {
            HttpContext { } http when http.GetEndpoint() is { } endpoint => AccessMatrixMiddleware.IsProtected(endpoint)
                ? AccessMatrix.Find(endpoint, http.Request.Method)?.Audience
                : Audience.Anonymous,
            RouteData route => PageTemplate(route) is { } template ? AccessMatrix.Find(template, HttpMethods.Get)?.Audience : null,
            // Not a route (e.g. a plain <AuthorizeView>): any user with a portal role.
            _ => Audience.AnyRole,
        };
        if (audience is { } admitted && admitted.Admits(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // Static server rendering gives no template; the page's own @page directive is the same text.
    private static string? PageTemplate(RouteData route) =>
        route.Template ?? route.PageType.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), inherit: false)
            .OfType<Microsoft.AspNetCore.Components.RouteAttribute>().FirstOrDefault()?.Template;
}

/// <summary>
/// Applies the <see cref="AccessMatrix"/> to every request that reached an endpoint, including those marked
/// anonymous, before the endpoint's own authorization: a user it does not admit is challenged (sign-in, or 401
/// for the API) or forbidden (the access-denied page, or 403).
/// </summary>
public sealed partial class AccessMatrixMiddleware(RequestDelegate next, ILogger<AccessMatrixMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint || !IsProtected(endpoint))
        {
            await next(context);
            return;
        }

        var rule = AccessMatrix.Find(endpoint, context.Request.Method);
        if (rule is null)
        {
            LogNoRule(context.Request.Method, (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "?");
        }
        else if (rule.Audience.Admits(context.User))
        {
            await next(context);
            return;
        }

        if (context.User.Identity?.IsAuthenticated == true)
        {
            await context.ForbidAsync();
        }
        else
        {
            await context.ChallengeAsync();
        }
    }

    /// <summary>
    /// Whether <paramref name="endpoint"/> serves something: a route or a static file. The router's own answers
    /// for a known path with the wrong method (405) or body type (415) have no route and nothing to protect.
    /// </summary>
    public static bool IsProtected(Endpoint endpoint) =>
        endpoint is RouteEndpoint || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null;

    [LoggerMessage(LogLevel.Error, "{Method} {Route} has no line in the access matrix (Authentication/AccessMatrix.cs); it is refused to everyone")]
    private partial void LogNoRule(string method, string route);
}
