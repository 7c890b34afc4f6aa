namespace TelemetryPortal.Web.Endpoints.Api;

/// <summary>
/// The versioned JSON API under <c>/api/v1</c>: everything the UI does, with the same authorization
/// (cookie now; bearer tokens later). Described by the OpenAPI document at <c>/openapi/v1.json</c>.
/// Errors are RFC 9457 problem details.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization();
        api.MapTelemetryApi();
        api.MapDictionaryApi();
        api.MapHistoryApi();
        api.MapConsentApi();
        api.MapLicensingApi();
        return app;
    }
}
