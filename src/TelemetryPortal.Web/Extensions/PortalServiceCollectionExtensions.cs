using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Http.Resilience;
using MudBlazor.Services;
using Polly;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
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
        services.AddSingleton<IZeroTelemetryLicense, NoZeroTelemetryLicense>();
        services.AddSingleton<TelemetryLevelService>();
        services.AddSingleton<PortalInitializer>();
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

    /// <summary>Local accounts signed in with a cookie; role policies; data protection keys kept in the data directory.</summary>
    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("TelemetryPortal");
        // Keys live beside the database so that sign-in cookies survive a restart.
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<PortalOptions>, ILoggerFactory>((keys, portal, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(portal.Value.DataDirectoryFullPath, "keys")), loggers));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/access-denied";
                o.Cookie.Name = "TelemetryPortal.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // The API answers 401 and 403; only pages redirect to sign-in.
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder().AddPortalPolicies();
        services.AddCascadingAuthenticationState();
        return services;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments(Endpoints.Api.ApiEndpoints.Prefix, StringComparison.OrdinalIgnoreCase) || context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
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
