using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// One long-lived <c>psql</c> session on a database (unaligned, tuples only, <c>\timing on</c>), fed batches on stdin;
/// each batch ends with an <c>\echo</c> marker so its output (and its end) can be read back. <see cref="ShellResult.TimerSeconds"/>
/// is the sum of psql's own "Time: x ms" lines: from sending a statement to holding its whole result, client side.
/// </summary>
internal sealed class PsqlShell : IDisposable
{
    private readonly Process _process;
    private int _batch;

    public PsqlShell(string executable, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var conninfo = $"host={builder.Host} port={builder.Port} user={builder.Username} dbname={builder.Database}";
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", conninfo },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (builder.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"psql: {e.Data}");
            }
        };
        _process.BeginErrorReadLine();
        Run("\\timing on");
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

    /// <summary>Runs <paramref name="script"/> (statements and backslash commands) and returns its output without the timing lines.</summary>
    public ShellResult Run(string script)
    {
        var marker = $"@@end-of-batch-{++_batch}@@";
        var input = new StringBuilder(script.TrimEnd()).Append('\n').Append("\\echo ").Append(marker).Append('\n').ToString();
        var lines = new List<string>();
        double timer = 0;
        var watch = Stopwatch.StartNew();
        _process.StandardInput.Write(input);
        _process.StandardInput.Flush();
        while (true)
        {
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("psql exited: " + string.Join('\n', lines));
            if (line == marker)
            {
                break;
            }

            if (line.StartsWith("Time: ", StringComparison.Ordinal))
            {
                // "Time: 12.345 ms" (or "Time: 1234.567 ms (00:01.235)" past a second)
                timer += double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1e3;
                continue;
            }

            lines.Add(line);
        }

        return new ShellResult(lines, watch.Elapsed.TotalSeconds, timer, 0);
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
