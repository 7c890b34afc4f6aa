using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TelemetryPortal.Benchmarks;

/// <summary>What the shell printed for one batch of statements, and how long it took.</summary>
/// <param name="WallSeconds">From writing the batch to reading its end marker (includes the pipe round trip).</param>
/// <param name="TimerSeconds">The sum of the shell's own <c>.timer</c> "real" figures (millisecond resolution).</param>
/// <param name="CpuSeconds">The sum of the shell's own <c>.timer</c> user + sys figures (microsecond resolution).</param>
internal sealed record ShellResult(IReadOnlyList<string> Lines, double WallSeconds, double TimerSeconds, double CpuSeconds);

/// <summary>
/// One long-lived <c>sqlite3</c> process on the database file, fed batches on stdin; each batch
/// ends with a <c>.print</c> marker so its output (and its end) can be read back.
/// </summary>
internal sealed class SqliteShell : IDisposable
{
    private readonly Process _process;
    private int _batch;

    public SqliteShell(string executable, string databaseFile)
    {
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-batch", "-bail", databaseFile },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"sqlite3: {e.Data}");
            }
        };
        _process.BeginErrorReadLine();
        Run(".timer on");
    }

    public static string? Version(string executable)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
        if (process is null)
        {
            return null;
        }

        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }

    /// <summary>Runs <paramref name="script"/> (statements and dot-commands) and returns its output without the timer lines.</summary>
    public ShellResult Run(string script)
    {
        var marker = $"@@end-of-batch-{++_batch}@@";
        var input = new StringBuilder(script.TrimEnd()).Append('\n').Append(".print ").Append(marker).Append('\n').ToString();
        var lines = new List<string>();
        double timer = 0, cpu = 0;
        var watch = Stopwatch.StartNew();
        _process.StandardInput.Write(input);
        _process.StandardInput.Flush();
        while (true)
        {
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("sqlite3 exited: " + string.Join('\n', lines));
            if (line == marker)
            {
                break;
            }

            if (line.StartsWith("Run Time: ", StringComparison.Ordinal))
            {
                // "Run Time: real 0.004 user 0.003241 sys 0.000000"
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                timer += double.Parse(parts[3], CultureInfo.InvariantCulture);
                cpu += double.Parse(parts[5], CultureInfo.InvariantCulture) + double.Parse(parts[7], CultureInfo.InvariantCulture);
                continue;
            }

            lines.Add(line);
        }

        return new ShellResult(lines, watch.Elapsed.TotalSeconds, timer, cpu);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
