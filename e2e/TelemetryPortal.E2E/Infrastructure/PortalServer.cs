using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TelemetryPortal.E2E.Infrastructure;

/// <summary>The portal on real Kestrel, on a free loopback port, with its own temporary data directory.</summary>
public sealed class PortalServer : WebApplicationFactory<Program>
{
    public const string AdminPassword = "e2e-admin-password";

    private readonly Dictionary<string, string?> _settings;

    /// <param name="settings">Settings over the defaults.</param>
    /// <param name="port">The loopback port; 0 picks a free one.</param>
    public PortalServer(IDictionary<string, string?>? settings = null, int port = 0)
    {
        DataDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "telemetry-portal-e2e", Guid.NewGuid().ToString("N"))).FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = DataDirectory,
            ["Portal:AdminPassword"] = AdminPassword,
            ["CODER_TELEMETRY"] = "",
            // No last report as each test's portal stops.
            ["Telemetry:ShutdownReportTimeout"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    public string DataDirectory { get; }

    /// <summary>A loopback port free right now, for a server whose address must be known before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development serves the static web assets from the build, as `dotnet run` does.
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
    }

    private readonly List<Microsoft.Playwright.IBrowserContext> _browsers = [];

    /// <summary>Closes <paramref name="context"/> before the server stops, so that no page is left retrying its circuit against a dead server.</summary>
    public void CloseWithServer(Microsoft.Playwright.IBrowserContext context)
    {
        lock (_browsers)
        {
            _browsers.Add(context);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var context in _browsers)
        {
            await context.CloseAsync();
        }

        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
