using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Telemetry: capture or ingest, redaction, the outbox and its sender, previews, the sent log and the data dictionary.</summary>
public static class TelemetryModule
{
    /// <summary>The telemetry pipeline: its settings, capture, the outbox and its sender, retention, previews and the sent log.</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .Configure<IConfiguration>((o, config) => o.EnvironmentLevel = config[TelemetryLevels.EnvironmentVariable])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<PayloadStore>();
        services.AddSingleton(sp =>
        {
            var proxy = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Proxy;
            return new Redactor(DataDictionary.Default, new RedactorOptions
            {
                MaxDepth = proxy.MaxDepth,
                // What the portal captures at all: its own simulated installation, Coder's reports, what the built-in
                // collector takes. Everything streams, so this bounds disk, not memory.
                MaxPayloadBytes = Math.Max(proxy.MaxPayloadBytes, TelemetryOptions.CaptureLimitBytes),
            });
        });
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<TelemetryEndpoint>();
        services.AddSingleton<TelemetryCaptureService>();
        services.AddSingleton<OutboxLevelEnforcer>();
        services.AddSingleton<UnclassifiedFields>();
        services.AddSingleton<SimulatedTelemetrySource>();
        services.AddSingleton<PreviewService>();
        services.AddSingleton<JsonOutlineService>();
        services.AddSingleton<HistoryService>();
        services.AddSingleton<HistoryExporter>();
        services.AddSingleton<BuiltInCollector>();
        services.AddSingleton<SendingStatusService>();
        services.AddSingleton<TelemetryScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryScheduler>());
        services.AddSingleton<OutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
        services.AddSingleton<SentLogPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<SentLogPruner>());

        services.AddTransient<AttemptCountingHandler>();
        var client = services.AddHttpClient(OutboxSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("telemetry-send", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = settings.RequestRetryDelay,
                    })
                    .AddTimeout(settings.RequestTimeout);
            });
        // Added after the resilience handler, so it sits inside it and sees every retry.
        client.AddHttpMessageHandler<AttemptCountingHandler>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>Previews, the sent log and the data dictionary under the API group.</summary>
    public static RouteGroupBuilder MapTelemetryApi(this RouteGroupBuilder api)
    {
        TelemetryApi.Map(api);
        HistoryApi.Map(api);
        DictionaryApi.Map(api);
        return api;
    }
}
