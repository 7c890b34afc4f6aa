using Microsoft.Extensions.Options;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>Consent: the level in force and its decisions, the ledger, its receipts and policy texts.</summary>
public static class ConsentModule
{
    /// <summary>The consent ledger, policy texts, receipt signing, and the start-up records.</summary>
    public static IServiceCollection AddConsent(this IServiceCollection services)
    {
        services.AddOptions<ConsentOptions>().BindConfiguration(ConsentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsentOptions>, ConsentOptionsValidator>();
        services.AddSingleton<TelemetryLevelService>();
        services.AddSingleton<ConsentPolicies>();
        services.AddSingleton<ConsentLedgerService>();
        services.AddSingleton<ConsentGate>();
        services.AddSingleton<ConsentReceiptKey>();
        services.AddSingleton<ConsentReceiptService>();
        services.AddSingleton<ConsentReceiptChecker>();
        services.AddHostedService<ConsentStartupService>();
        return services;
    }

    /// <summary>The level, its decisions and the consent history under the API group.</summary>
    public static RouteGroupBuilder MapConsentApi(this RouteGroupBuilder api) => ConsentApi.Map(api);
}
