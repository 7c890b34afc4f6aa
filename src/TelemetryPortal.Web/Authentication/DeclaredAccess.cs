using Microsoft.AspNetCore.Authorization;

namespace TelemetryPortal.Web.Authentication;

/// <summary>
/// The fallback policy's requirement, for requests whose endpoint declares no <see cref="AccessAttribute"/>: a route
/// that declares nothing is refused to everyone (and logged, so that the omission is found); a request that matched
/// no route (an unknown path) needs a portal role, so that what exists is not told to strangers; the router's own
/// answers for a known path with the wrong method or body type (405, 415) have nothing to protect.
/// </summary>
public sealed class DeclaredAccessRequirement : IAuthorizationRequirement;

/// <summary>Checks <see cref="DeclaredAccessRequirement"/>.</summary>
public sealed partial class DeclaredAccessHandler(ILogger<DeclaredAccessHandler> logger) : AuthorizationHandler<DeclaredAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DeclaredAccessRequirement requirement)
    {
        switch (context.Resource)
        {
            case HttpContext { } http when http.GetEndpoint() is RouteEndpoint route:
                LogUndeclared(http.Request.Method, route.RoutePattern.RawText ?? route.DisplayName ?? "?");
                break;
            case HttpContext { } http when http.GetEndpoint() is not null:
                context.Succeed(requirement);
                break;
            default:
                if (Audience.AnyRole.Admits(context.User))
                {
                    context.Succeed(requirement);
                }

                break;
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Error, "{Method} {Route} declares no access (RequireAccess on the endpoint, [Access] on the page); it is refused to everyone")]
    private partial void LogUndeclared(string method, string route);
}
