using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Endpoints.Api;

/// <summary>
/// The versioned JSON API under <c>/api/v1</c>: everything the UI does, signed in by the session cookie or
/// an API token (<c>Authorization: Bearer tp_...</c>). Each endpoint declares who may call it
/// (<c>RequireAccess</c>); one that declares nothing is refused. Described by the OpenAPI document at <c>/openapi/v1.json</c>.
/// Errors are RFC 9457 problem details; a service's refusal (<see cref="PortalProblemException"/>) becomes one in <see cref="PortalProblemFilter"/>.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).AddEndpointFilter<SameOriginFilter>().AddEndpointFilter<PortalProblemFilter>();
        api.MapConsentApi();
        api.MapTelemetryApi();
        api.MapLicensingApi();
        api.MapApiTokensApi();
        return app;
    }
}
