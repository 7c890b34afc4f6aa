using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Endpoints;

/// <summary><c>/healthz</c>: 200 when the database answers, 503 otherwise.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz").RequireAccess(Audience.Anonymous, "200 when the database answers, 503 otherwise");
        return app;
    }
}
