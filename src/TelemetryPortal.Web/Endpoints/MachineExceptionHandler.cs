using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace TelemetryPortal.Web.Endpoints;

/// <summary>
/// An error nobody planned for, on an endpoint only programs call (Coder's reports, the collector, the desk, the API):
/// problem details with the reference to quote (<c>traceId</c>), in the JSON such callers read and log, not the HTML
/// error page meant for people. Nothing of the exception is shown; it is logged by the exception handler.
/// </summary>
public sealed class MachineExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // The request's path is the error page's by now; the feature keeps the one that failed.
        var path = httpContext.Features.Get<IExceptionHandlerFeature>()?.Path ?? httpContext.Request.Path.Value;
        if (!Extensions.AuthenticationServiceCollectionExtensions.IsMachineEndpoint(new PathString(path)))
        {
            // A person's page: the error page.
            return false;
        }

        var reference = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        await TypedResults.Problem(
            $"The portal could not complete the request. It was logged; quote reference {reference} when you report it.",
            title: "Unexpected error",
            statusCode: StatusCodes.Status500InternalServerError,
            extensions: new Dictionary<string, object?> { ["traceId"] = reference }).ExecuteAsync(httpContext);
        return true;
    }
}
