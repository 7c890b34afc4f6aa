using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Services.Consent;

namespace TelemetryPortal.Web.Extensions;

/// <summary>Registration of the consent ledger, its receipts and the level decisions.</summary>
public static class ConsentServiceCollectionExtensions
{
    /// <summary>The consent ledger, policy texts, receipt signing, and the start-up records.</summary>
    public static IServiceCollection AddConsent(this IServiceCollection services)
    {
        services.AddOptions<ConsentOptions>().BindConfiguration(ConsentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsentOptions>, ConsentOptionsValidator>();
        services.AddSingleton<ConsentPolicies>();
        services.AddSingleton<ConsentLedgerService>();
        services.AddSingleton<ConsentGate>();
        services.AddSingleton<ConsentReceiptKey>();
        services.AddSingleton<ConsentReceiptService>();
        services.AddSingleton<ConsentReceiptChecker>();
        services.AddHostedService<ConsentStartupService>();
        return services;
    }
}
