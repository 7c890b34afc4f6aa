using Microsoft.Extensions.Caching.Memory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Extensions;

/// <summary>Registration of the portal's pieces; <c>Program.cs</c> calls these in order.</summary>
public static class PortalServiceCollectionExtensions
{
    /// <summary>Every settings section, bound and validated at start.</summary>
    public static IServiceCollection AddPortalOptions(this IServiceCollection services)
    {
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();

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

    /// <summary>The clock and the first-start initialisation.</summary>
    public static IServiceCollection AddPortalServices(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        // One bounded cache for every feature: each entry states its size in bytes (previews, the largest, are theirs).
        // Its expirations follow the portal's clock, like everything else that waits.
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((cache, time) =>
        {
            cache.SizeLimit = MemoryCacheSizeLimit;
            cache.Clock = new PortalClock(time);
        });
        services.AddSingleton<PortalInitializer>();
        return services;
    }

    /// <summary>The most the shared <see cref="Microsoft.Extensions.Caching.Memory.IMemoryCache"/> holds: 256 MiB of entries' stated sizes.</summary>
    public const long MemoryCacheSizeLimit = 256L * 1024 * 1024;

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

    private sealed class PortalClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
