using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Services.Licensing;

namespace TelemetryPortal.Web.Extensions;

public static class LicensingServiceCollectionExtensions
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
        return services;
    }
}
