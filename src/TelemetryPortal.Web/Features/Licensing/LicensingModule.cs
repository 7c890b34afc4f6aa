using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Features.Licensing.Desk;

namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>Zero-telemetry licenses: requests, reviews, the license in force and its expiry.</summary>
public static class LicensingModule
{
    /// <summary>Zero-telemetry licenses: keys, requests and reviews, the license in force (which unlocks level 0), expiry.</summary>
    public static IServiceCollection AddLicensing(this IServiceCollection services)
    {
        services.AddOptions<LicensingOptions>().BindConfiguration(LicensingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LicensingOptions>, LicensingOptionsValidator>();
        services.AddSingleton<LicenseKeyring>();
        services.AddSingleton<LicenseService>();
        services.AddSingleton<ILicenseEvents, LedgerLicenseEvents>();
        services.AddSingleton<IZeroTelemetryLicense, AppliedZeroTelemetryLicense>();
        services.AddSingleton<LicenseExpiryWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LicenseExpiryWatcher>());
        services.AddSingleton<LicenseDeskService>();
        services.Configure<RateLimiterOptions>(DeskEndpoints.AddRateLimit);
        services.AddSingleton<LicenseDeskClient>();
        services.AddHostedService(sp => sp.GetRequiredService<LicenseDeskClient>());
        services.AddHttpClient(LicenseDeskClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>License requests and the license in force under the API group.</summary>
    public static RouteGroupBuilder MapLicensingApi(this RouteGroupBuilder api) => LicensingApi.Map(api);

    /// <summary>The vendor's desk: <c>POST /desk/requests</c> and <c>GET /desk/requests/{id}</c> for other installations.</summary>
    public static IEndpointRouteBuilder MapLicenseDesk(this IEndpointRouteBuilder app) => app.MapLicenseDeskEndpoints();
}
