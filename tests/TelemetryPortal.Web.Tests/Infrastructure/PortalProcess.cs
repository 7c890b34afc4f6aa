using System.Diagnostics;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>Runs the built portal as a real process (the command line, as an operator types it).</summary>
public static class PortalProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [AssemblyPath(), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("CODER_TELEMETRY");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
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
            throw new TimeoutException("The portal did not exit within 60 seconds.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The web project's own build output, built with the same configuration as this test project.</summary>
    public static string AssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot(), "src", "TelemetryPortal.Web", "bin", testOutput.Parent!.Name, testOutput.Name, "TelemetryPortal.Web.dll");
        Assert.True(File.Exists(path), $"The portal is not built at {path}.");
        return path;
    }

    /// <summary>The repository's root: the nearest folder above the test binaries that holds TelemetryPortal.sln.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TelemetryPortal.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("No TelemetryPortal.sln above the test binaries.");
    }
}
