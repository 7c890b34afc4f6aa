using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Http.Resilience;
using MudBlazor.Services;
using Polly;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Services;
using TelemetryPortal.Web.Services.Telemetry;

namespace TelemetryPortal.Web.Extensions;

/// <summary>Registration of the portal's pieces; <c>Program.cs</c> calls these in order.</summary>
public static class PortalServiceCollectionExtensions
{
    /// <summary>Every settings section, bound and validated at start.</summary>
    public static IServiceCollection AddPortalOptions(this IServiceCollection services)
    {
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();

        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .Configure<IConfiguration>((o, config) => o.EnvironmentLevel = config[TelemetryLevels.EnvironmentVariable])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        return services;
    }

    /// <summary>EF Core on SQLite under the data directory (or <c>ConnectionStrings:Portal</c>).</summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services)
    {
        // Pooled: the sent log is read a page at a time, and a context per query is most of the cost of a small one.
        services.AddPooledDbContextFactory<PortalDbContext>((sp, db) =>
        {
            var configured = sp.GetRequiredService<IConfiguration>().GetConnectionString("Portal");
            var dataDirectory = sp.GetRequiredService<IOptions<PortalOptions>>().Value.DataDirectoryFullPath;
            db.UseSqlite(string.IsNullOrWhiteSpace(configured)
                ? $"Data Source={Path.Combine(dataDirectory, "portal.db")}"
                : configured);
        });
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
        return services;
    }

    /// <summary>Domain services of the portal.</summary>
    public static IServiceCollection AddPortalServices(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<TelemetryLevelService>();
        services.AddSingleton<PortalInitializer>();
        services.AddSingleton<ApiTokenService>();
        return services;
    }

    /// <summary>The telemetry pipeline: capture, the level, the outbox and its sender, retention.</summary>
    public static IServiceCollection AddTelemetryPipeline(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var proxy = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Proxy;
            return new Redactor(DataDictionary.Default, new RedactorOptions
            {
                MaxDepth = proxy.MaxDepth,
                MaxPayloadBytes = Math.Max(proxy.MaxPayloadBytes, RedactorOptions.DefaultMaxPayloadBytes),
            });
        });
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<TelemetryEndpoint>();
        services.AddSingleton<TelemetryCaptureService>();
        services.AddSingleton<OutboxLevelEnforcer>();
        services.AddSingleton<UnclassifiedFields>();
        services.AddSingleton<SimulatedTelemetrySource>();
        services.AddSingleton<PreviewService>();
        services.AddSingleton<HistoryService>();
        services.AddSingleton<HistoryExporter>();
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

    /// <summary>The JSON API: enums as text, problem details, and the OpenAPI document.</summary>
    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOpenApi();
        return services;
    }

    /// <summary>Blazor Server with MudBlazor.</summary>
    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<BrowserDownload>();
        return services;
    }
}
