using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

/// <summary>Starts the built portal as a real process with bad settings: it must refuse with one clear line.</summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("CODER_TELEMETRY", "3", "CODER_TELEMETRY must be 0, 1 or 2")]
    [InlineData("CODER_TELEMETRY", "banana", "CODER_TELEMETRY must be 0, 1 or 2")]
    [InlineData("CODER_TELEMETRY", "-1", "CODER_TELEMETRY must be 0, 1 or 2")]
    [InlineData("Telemetry__Level", "5", "Telemetry:Level must be 0, 1 or 2")]
    [InlineData("Telemetry__Level", "high", "'Telemetry:Level'")]
    [InlineData("Portal__MaxFailedSignIns", "0", "Portal:MaxFailedSignIns")]
    [InlineData("Portal__AdminPassword", "short", "Portal:AdminPassword")]
    [InlineData("Portal__LockoutDuration", "banana", "'Portal:LockoutDuration'")]
    [InlineData("Authentication__Mode", "Ldap", "Authentication:Mode must be Local or Oidc")]
    [InlineData("Database__Provider", "Postgres", "ConnectionStrings:Portal must be set")]
    [InlineData("Database__Provider", "Oracle", "'Database:Provider'")]
    [InlineData("Database__SendLease", "00:00:01", "Database:SendLease must be between 00:00:03 and 01:00:00")]
    [InlineData("Database__PollInterval", "00:00:00", "Database:PollInterval must be between")]
    public async Task Start_BadSetting_ExitsNonZeroWithOneLineNamingIt(string variable, string value, string expected)
    {
        var dataDirectory = Path.Combine(TempDirectory.Create(), "data");

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync([], new Dictionary<string, string>
        {
            [variable] = value,
            ["Portal__DataDirectory"] = dataDirectory,
        });

        Assert.NotEqual(0, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "Nothing is created when the start is refused.");
    }

    [Fact]
    public async Task Start_PostgresUnreachable_ExitsNonZeroWithOneLineSayingSo()
    {
        // A loopback port nothing listens on: refused at once.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, stdout, stderr) = await PortalProcess.RunAsync([], new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Portal"] = $"Host=127.0.0.1;Port={port};Username=portal;Password=secret;Database=portal;Timeout=5",
            ["Portal__DataDirectory"] = Path.Combine(TempDirectory.Create(), "data"),
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("the database (Postgres) could not be opened", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }
}
