namespace TelemetryPortal.Web.Features.ApiTokens;

/// <summary>API tokens: the admin's bearer tokens for scripts, and their endpoints.</summary>
public static class ApiTokensModule
{
    public static IServiceCollection AddApiTokens(this IServiceCollection services) => services.AddSingleton<ApiTokenService>();

    /// <summary>Listing, creating and revoking tokens under the API group.</summary>
    public static RouteGroupBuilder MapApiTokensApi(this RouteGroupBuilder api) => TokenApi.Map(api);
}
