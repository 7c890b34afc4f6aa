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

    /// <summary>
    /// EF Core on the provider <c>Database:Provider</c> names: SQLite (the default) in <c>portal.db</c> under the data
    /// directory, or PostgreSQL; either way <c>ConnectionStrings:Portal</c> is the connection when it is set.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config.GetConnectionString(DatabaseOptions.ConnectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        // Pooled: the sent log is read a page at a time, and a context per query is most of the cost of a small one.
        // One context type per provider keeps each provider's migrations apart; the rest of the portal asks for the base type.
        services.AddPooledDbContextFactory<SqlitePortalDbContext>((sp, db) =>
        {
            var configured = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString;
            var dataDirectory = sp.GetRequiredService<IOptions<PortalOptions>>().Value.DataDirectoryFullPath;
            db.UseSqlite(string.IsNullOrWhiteSpace(configured)
                ? $"Data Source={Path.Combine(dataDirectory, "portal.db")}"
                : configured)
              .AddInterceptors(StorableTextInterceptor.Instance);
        });
        services.AddPooledDbContextFactory<PostgresPortalDbContext>((sp, db) =>
            db.UsePostgres(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!)
              .AddInterceptors(StorableTextInterceptor.Instance));
        services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? new PortalDbContextFactory<PostgresPortalDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresPortalDbContext>>())
                : new PortalDbContextFactory<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()));
        // For what resolves the context from a scope (the data protection key store, the health check).
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        services.AddSingleton<ScheduledJobs>();
        services.AddTransient<DatabaseCopy>();
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
        return services;
    }

    /// <summary>Npgsql for the portal: its migrations, and retries on a connection lost mid-command are left to the caller (writes are in transactions).</summary>
    internal static DbContextOptionsBuilder UsePostgres(this DbContextOptionsBuilder db, string connectionString) =>
        db.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PortalDbContext).Assembly.GetName().Name));

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
        // An unexpected error on a machine endpoint is problem details; on a page, the error page (Program.cs).
        services.AddExceptionHandler<TelemetryPortal.Web.Endpoints.MachineExceptionHandler>();
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

    private sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> provider) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => provider.CreateDbContext();

        public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await provider.CreateDbContextAsync(cancellationToken);
    }

    private sealed class PortalClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
