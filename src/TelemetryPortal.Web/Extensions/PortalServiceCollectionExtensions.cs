using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
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
        services.AddDbContextFactory<PortalDbContext>((sp, db) =>
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
            });
        services.AddAuthorizationBuilder().AddPortalPolicies();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>Blazor Server with MudBlazor.</summary>
    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }
}
