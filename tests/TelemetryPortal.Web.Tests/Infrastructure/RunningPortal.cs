using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>
/// The built portal running as a real process (<c>dotnet TelemetryPortal.Web.dll</c>, the app's own process, so its
/// /proc status is the portal's), on a loopback port of its choosing; killed with its tree when disposed.
/// </summary>
public sealed class RunningPortal : IDisposable
{
    /// <summary>How many of the last lines the process wrote are kept for <see cref="RecentOutput"/>.</summary>
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private RunningPortal(Process process, Uri baseUri, ConcurrentQueue<string> output) => (_process, BaseUri, _output) = (process, baseUri, output);

    public Uri BaseUri { get; }

    public int ProcessId => _process.Id;

    /// <summary>The last lines the process wrote (standard output and error), to explain a failure.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Ends the process at once with SIGKILL, as a crash or an OOM kill would: nothing of it runs after this returns.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Starts the portal with <paramref name="environment"/> and waits until it listens.</summary>
    public static async Task<RunningPortal> StartAsync(IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [PortalProcess.AssemblyPath()])
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

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is not null)
            {
                output.Enqueue(line);
                while (output.Count > KeptLines && output.TryDequeue(out _))
                {
                }
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            Keep(e.Data);
            const string Marker = "Now listening on: ";
            var at = e.Data?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data![(at + Marker.Length)..].Trim()));
            }
        };
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The portal exited with {process.ExitCode} before it listened:\n{string.Join('\n', output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new RunningPortal(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken), output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The most memory the process has held resident so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => Status("VmHWM:");

    /// <summary>The memory the process holds resident now (VmRSS), in bytes.</summary>
    public long ResidentBytes() => Status("VmRSS:");

    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{_process.Id}/status has no {field}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
