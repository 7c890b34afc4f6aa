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
}
