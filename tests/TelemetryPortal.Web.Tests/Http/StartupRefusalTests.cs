using System.Diagnostics;
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

        var (exitCode, stdout, stderr) = await RunPortalAsync(new Dictionary<string, string>
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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunPortalAsync(IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [PortalAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("CODER_TELEMETRY");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The portal did not refuse to start within 60 seconds.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The web project's own build output, built with the same configuration as this test project.</summary>
    private static string PortalAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TelemetryPortal.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root!.FullName, "src", "TelemetryPortal.Web", "bin", configuration, framework, "TelemetryPortal.Web.dll");
        Assert.True(File.Exists(path), $"The portal is not built at {path}.");
        return path;
    }
}
