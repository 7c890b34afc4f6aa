using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>
/// The real portal over the real HTTP pipeline, on its own SQLite file in its own temporary data
/// directory (or, in the PostgreSQL run, its own database: <see cref="TestDatabases"/>), with a fake clock the test can move.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-for-tests";

    private readonly Dictionary<string, string?> _settings;

    private readonly bool _fakeTime;

    /// <param name="fakeTime">Replace the clock with <see cref="Time"/>; off for tests of the background sender, which waits on real time.</param>
    public PortalFactory(IDictionary<string, string?>? settings = null, string? dataDirectory = null, bool fakeTime = true)
    {
        _fakeTime = fakeTime;
        DataDirectory = dataDirectory ?? TempDirectory.Create();
        _settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = DataDirectory,
            ["Portal:AdminPassword"] = AdminPassword,
            // The machine's own CODER_TELEMETRY must not leak into tests; empty counts as unset.
            ["CODER_TELEMETRY"] = "",
            // Reports are captured by the tests that want them, not on the portal's own schedule.
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
            // Nor a last report when the test's portal stops (its own test turns it on).
            ["Telemetry:ShutdownReportTimeout"] = "00:00:00",
            // Many tests sign in from the same address within a minute; the limit has its own test.
            ["Authentication:SignInAttemptsPerMinute"] = "10000",
        };
        var given = settings ?? new Dictionary<string, string?>();
        if (!given.ContainsKey("ConnectionStrings:Portal") && !given.ContainsKey("Database:Provider"))
        {
            foreach (var (key, value) in TestDatabases.PortalSettings(DataDirectory))
            {
                _settings[key] = value;
            }
        }

        foreach (var (key, value) in given)
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>The hosting environment; Production is what the README's command starts.</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Replaces services before the portal starts.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services =>
        {
            if (_fakeTime)
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            }

            ConfigureTestServices?.Invoke(services);
        });
    }

    /// <summary>Serves the portal on real Kestrel on a loopback port (real client addresses); returns its base URL.</summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.Single());
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    public HttpClient CreatePortalClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_settings.GetValueOrDefault("Database:Provider") == "Postgres" && _settings.GetValueOrDefault("ConnectionStrings:Portal") is { } connection)
        {
            // Its idle connections would otherwise hold the test cluster's connection slots.
            using var pooled = new Npgsql.NpgsqlConnection(connection);
            Npgsql.NpgsqlConnection.ClearPool(pooled);
        }
    }
}
