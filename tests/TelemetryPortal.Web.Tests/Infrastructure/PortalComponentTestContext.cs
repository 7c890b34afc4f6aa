using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Services;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one base for component tests: MudBlazor services, loose JS interop, and the portal's real
/// authorization policies evaluated against a user the test chooses.
/// </summary>
public abstract class PortalComponentTestContext : BunitContext
{
    private readonly TestAuthenticationStateProvider _authentication = new();

    static PortalComponentTestContext()
    {
        // bUnit's default (1 s) is too short when the whole suite runs in parallel on two cores: the
        // pages load from a real SQLite file. The waits still end as soon as their assertion holds.
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
    }

    protected PortalComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // bUnit puts placeholders here; the real services evaluate the real policies.
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.RemoveAll<AuthenticationStateProvider>();
        Services.AddAuthorizationCore();
        Services.AddAuthorizationBuilder().AddPortalPolicies();
        Services.AddSingleton<AuthenticationStateProvider>(_authentication);
        Services.AddCascadingAuthenticationState();
    }

    /// <summary>
    /// The portal's own registrations (every feature module, as <c>Program.cs</c> adds them) on a SQLite file in
    /// <paramref name="dataDirectory"/>, migrated; hosted services are registered but not started.
    /// </summary>
    protected void UsePortalServices(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = dataDirectory,
            ["CODER_TELEMETRY"] = "",
            // No pool: nothing keeps the file open after the test.
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=False",
        };
        foreach (var (key, value) in TestDatabases.PortalSettings(dataDirectory))
        {
            values[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddPortalOptions().AddPortalData().AddPortalServices()
            .AddAccounts().AddApiTokens().AddConsent().AddTelemetry().AddLicensing();
        Services.AddScoped<BrowserDownload>();
        using var db = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.Database.Migrate();
    }

    /// <summary>Signs in a local user with <paramref name="role"/> (or no role at all).</summary>
    protected ClaimsPrincipal SignInAs(string? role, string userName = "someone")
    {
        var principal = role is null
            ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], "test"))
            : PortalClaims.CreatePrincipal(7, userName, $"Test {role}", role, "stamp");
        _authentication.User = principal;
        return principal;
    }

    private sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(User));
    }
}
