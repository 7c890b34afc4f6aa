using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Endpoints.Api;

/// <summary>
/// Cross-site request forgery guard for the API: a state-changing call (anything but GET, HEAD and OPTIONS)
/// signed in by the session cookie must come from this portal's own pages. A browser says where a request
/// comes from (<c>Origin</c>, <c>Sec-Fetch-Site</c>); one that names another site is refused with 403. Calls
/// with an API token carry no ambient credential and need no such check; programs that send the cookie
/// without those headers are not browsers and are let through.
/// </summary>
public sealed class SameOriginFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || http.User.Identity?.AuthenticationType == ApiTokenAuthenticationHandler.SchemeName
            || IsSameOrigin(request))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(Results.Problem(
            title: "Cross-site request refused",
            detail: "A change made with the portal's session cookie must come from the portal's own pages. Scripts use an API token (Authorization: Bearer).",
            statusCode: StatusCodes.Status403Forbidden));
    }

    /// <summary>Whether nothing the browser says points to another site.</summary>
    internal static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        // "null" (a sandboxed frame, a file) is never this portal.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
