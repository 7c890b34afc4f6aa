using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// The history page's queries over a sent log of a million rows, through <see cref="HistoryService"/>,
/// side by side with the same SQL run by the <c>sqlite3</c> shell (and by bare Microsoft.Data.Sqlite)
/// on the same file in the same run; then the on-disk size of a year of half-hourly 1 MB snapshots.
/// </summary>
internal static class HistoryBenchmark
{
    private const double TargetRatio = 2.0;
    private const double TargetP95Ms = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        switch (OptionText(args, "--provider")?.ToLowerInvariant())
        {
            case null or "sqlite":
                break;
            case "postgres":
                return await PostgresHistoryBenchmark.RunAsync(args);
            default:
                Console.Error.WriteLine($"--provider must be sqlite or postgres; got \"{OptionText(args, "--provider")}\".");
                return 2;
        }

        var rows = Option(args, "--rows", 1_000_000);
        var reps = Option(args, "--reps", 30);
        var warmup = Option(args, "--warmup", 5);
        var sizeDays = Option(args, "--size-days", 365);
        var directory = OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), "telemetry-portal-bench");
        var regenerate = args.Contains("--regenerate");
        Directory.CreateDirectory(directory);

        Console.WriteLine($"processors: {Environment.ProcessorCount}, runtime: {Environment.Version}, OS: {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine($"Microsoft.Data.Sqlite's SQLite: {SqliteLibraryVersion()}");
        if (!args.Contains("--skip-queries"))
        {
            await QueriesAsync(directory, rows, reps, warmup, regenerate);
        }

        if (!args.Contains("--skip-size"))
        {
            await SnapshotLogSize.RunAsync(directory, sizeDays, regenerate);
        }

        return 0;
    }

    private sealed record Case(string Name, HistoryFilter Filter);

    private static async Task QueriesAsync(string directory, int rows, int reps, int warmup, bool regenerate)
    {
        var file = Path.Combine(directory, $"history-{rows}.db");
        if (regenerate || !HistorySeeder.IsSeeded(file, rows))
        {
            HistorySeeder.Delete(file);
            Console.WriteLine($"seeding {rows:N0} payload rows into {file} ...");
            var watch = Stopwatch.StartNew();
            await using (var seeding = await BenchPortal.OpenAsync(file, HistorySeeder.End))
            {
                await HistorySeeder.SeedAsync(seeding, rows);
            }

            await File.WriteAllTextAsync(HistorySeeder.MarkerFile(file), rows.ToString(CultureInfo.InvariantCulture));
            Console.WriteLine($"seeded in {watch.Elapsed.TotalSeconds:F0} s");
        }
        else
        {
            Console.WriteLine($"reusing the cached sent log {file} (--regenerate rebuilds it)");
        }

        // Opening runs the portal's initializer, so migrations added since the seed (new indexes) are applied here.
        await using var portal = await BenchPortal.OpenAsync(file, HistorySeeder.End);
        Console.WriteLine($"database: {new FileInfo(file).Length / 1e6:F0} MB, migrations: {string.Join(", ", await AppliedMigrationsAsync(file))}");
        var sqlite3 = FindOnPath("sqlite3");
        if (sqlite3 is null)
        {
            Console.WriteLine("sqlite3: NOT FOUND on PATH; install it with `apt-get install -y sqlite3` to get the comparison.");
        }
        else
        {
            Console.WriteLine($"sqlite3: {sqlite3} ({SqliteShell.Version(sqlite3)})");
        }

        Console.WriteLine($"repetitions: {reps} after {warmup} warm-up runs, interleaved (portal, ADO.NET, sqlite3, empty sqlite3 batch; rotated each repetition)");
        var history = portal.Get<HistoryService>();
        var to = HistorySeeder.End.AddDays(-60);
        Case[] cases =
        [
            new("first page (no filter, newest first)", new HistoryFilter()),
            new("filtered page (snapshot, Sent, level 2, 30 days)", new HistoryFilter(From: to.AddDays(-30), To: to, Kind: PayloadKind.Snapshot, Level: 2, Status: PayloadStatus.Sent)),
        ];

        var table = new List<string>();
        var details = new StringBuilder();
        foreach (var benchCase in cases)
        {
            portal.Commands.Take();
            portal.Commands.Recording = true;
            var sample = await history.QueryAsync(benchCase.Filter);
            portal.Commands.Recording = false;
            var commands = portal.Commands.Take();
            details.AppendLine(CultureInfo.InvariantCulture, $"### {benchCase.Name}: total {sample.Total:N0}, {sample.Items.Count} rows on the page").AppendLine();
            foreach (var command in commands)
            {
                details.AppendLine("```sql").AppendLine(command.Text.Trim()).AppendLine("```");
                details.AppendLine("parameters: " + (command.Parameters.Count == 0 ? "none" : string.Join(", ", command.Parameters.Select(p => $"{p.Name} = {Literal(p.Value)}"))));
                details.AppendLine();
            }

            foreach (var command in commands)
            {
                details.AppendLine("```").AppendLine("EXPLAIN QUERY PLAN (the portal's SQLite, through Microsoft.Data.Sqlite) " + FirstLine(command.Text))
                    .AppendLine(string.Join('\n', await PlanAsync(file, command))).AppendLine("```");
            }

            var portalTimes = new List<double>();
            var adoTimes = new List<double>();
            var shellWall = new List<double>();
            var shellTimer = new List<double>();
            var shellCpu = new List<double>();
            var emptyWall = new List<double>();
            using var shell = sqlite3 is null ? null : new SqliteShell(sqlite3, file);
            var script = Script(commands);
            if (shell is not null)
            {
                shell.Run(ParameterScript(commands));
                foreach (var command in commands)
                {
                    var plan = shell.Run(".timer off\nEXPLAIN QUERY PLAN " + command.Text.Trim().TrimEnd(';') + ";\n.timer on");
                    details.AppendLine("```").AppendLine("EXPLAIN QUERY PLAN (sqlite3 shell) " + FirstLine(command.Text)).AppendLine(string.Join('\n', plan.Lines)).AppendLine("```");
                }

                var check = shell.Run(script);
                var shellTotal = int.Parse(check.Lines[0], CultureInfo.InvariantCulture);
                if (shellTotal != sample.Total || check.Lines.Count - 1 != sample.Items.Count)
                {
                    throw new InvalidOperationException($"sqlite3 answered {shellTotal} / {check.Lines.Count - 1} rows; the portal {sample.Total} / {sample.Items.Count}.");
                }

                details.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"sqlite3 agrees: total {shellTotal:N0}, {check.Lines.Count - 1} rows.").AppendLine();
            }

            for (var rep = -warmup; rep < reps; rep++)
            {
                for (var turn = 0; turn < 4; turn++)
                {
                    var which = (turn + Math.Max(rep, 0)) % 4;
                    switch (which)
                    {
                        case 0:
                            var watch = Stopwatch.StartNew();
                            var page = await history.QueryAsync(benchCase.Filter);
                            var elapsed = watch.Elapsed.TotalSeconds;
                            if (page.Total != sample.Total)
                            {
                                throw new InvalidOperationException("the total changed between runs");
                            }

                            if (rep >= 0)
                            {
                                portalTimes.Add(elapsed);
                            }

                            break;
                        case 1:
                            var ado = await AdoAsync(file, commands);
                            if (rep >= 0)
                            {
                                adoTimes.Add(ado);
                            }

                            break;
                        case 2 when shell is not null:
                            var result = shell.Run(script);
                            if (rep >= 0)
                            {
                                shellWall.Add(result.WallSeconds);
                                shellTimer.Add(result.TimerSeconds);
                                shellCpu.Add(result.CpuSeconds);
                            }

                            break;
                        case 3 when shell is not null:
                            var empty = shell.Run("");
                            if (rep >= 0)
                            {
                                emptyWall.Add(empty.WallSeconds);
                            }

                            break;
                    }
                }
            }

            var portalP50 = Percentile(portalTimes, 0.5) * 1e3;
            var portalP95 = Percentile(portalTimes, 0.95) * 1e3;
            var adoP50 = Percentile(adoTimes, 0.5) * 1e3;
            var adoP95 = Percentile(adoTimes, 0.95) * 1e3;
            Console.WriteLine();
            Console.WriteLine($"{benchCase.Name}: total {sample.Total:N0}");
            if (shell is null)
            {
                table.Add(Invariant($"| {benchCase.Name} | {portalP50:F2} | {portalP95:F2} | {adoP50:F2} | {adoP95:F2} | n/a | n/a | n/a | n/a | n/a | {(portalP95 < TargetP95Ms ? "MET" : "MISSED")} |"));
                continue;
            }

            // The shell's time is its wall time (write the batch, read its end marker) minus the round trip of an empty batch, measured interleaved.
            var emptyMedian = Percentile(emptyWall, 0.5);
            var shellTimes = shellWall.Select(w => Math.Max(w - emptyMedian, 0)).ToList();
            var shellP50 = Percentile(shellTimes, 0.5) * 1e3;
            var shellP95 = Percentile(shellTimes, 0.95) * 1e3;
            var ratio50 = portalP50 / shellP50;
            var ratio95 = portalP95 / shellP95;
            Console.WriteLine(Invariant($"  empty sqlite3 batch round trip: p50 {emptyMedian * 1e3:F3} ms; sqlite3 .timer real p50 {Percentile(shellTimer, 0.5) * 1e3:F1} ms (1 ms resolution), user+sys p50 {Percentile(shellCpu, 0.5) * 1e3:F2} ms"));
            var met = ratio50 <= TargetRatio && portalP95 < TargetP95Ms;
            table.Add(Invariant($"| {benchCase.Name} | {portalP50:F2} | {portalP95:F2} | {adoP50:F2} | {adoP95:F2} | {shellP50:F2} | {shellP95:F2} | {Percentile(shellTimer, 0.5) * 1e3:F0} | {ratio50:F2}x | {ratio95:F2}x | {(met ? "MET" : "MISSED")} |"));
            details.AppendLine(Invariant($"sqlite3: empty batch round trip p50 {emptyMedian * 1e3:F3} ms (subtracted); .timer real p50 {Percentile(shellTimer, 0.5) * 1e3:F1} ms, user+sys p50 {Percentile(shellCpu, 0.5) * 1e3:F2} ms.")).AppendLine();
        }

        Console.WriteLine();
        Console.WriteLine("| query | portal p50 (ms) | portal p95 (ms) | ADO.NET p50 (ms) | ADO.NET p95 (ms) | sqlite3 p50 (ms) | sqlite3 p95 (ms) | sqlite3 .timer p50 (ms) | portal/sqlite3 p50 | portal/sqlite3 p95 | target (<= 2x, p95 < 50 ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        table.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(details.ToString());
    }

    /// <summary>The same commands through bare Microsoft.Data.Sqlite: open (pooled), count, read the page.</summary>
    private static async Task<double> AdoAsync(string file, IReadOnlyList<RecordedCommand> commands)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        foreach (var recorded in commands)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = recorded.Text;
            foreach (var (name, value) in recorded.Parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await command.ExecuteReaderAsync();
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The plan the portal's own SQLite library chooses (the shell's version may differ).</summary>
    private static async Task<IReadOnlyList<string>> PlanAsync(string file, RecordedCommand recorded)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + recorded.Text;
        foreach (var (name, value) in recorded.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add("- " + reader.GetString(3));
        }

        return lines;
    }

    private static string Script(IReadOnlyList<RecordedCommand> commands) =>
        string.Join('\n', commands.Select(c => c.Text.Trim().TrimEnd(';') + ";"));

    /// <summary><c>.parameter set</c> lines binding the values EF bound, so the shell runs EF's SQL text unchanged.</summary>
    private static string ParameterScript(IReadOnlyList<RecordedCommand> commands)
    {
        var values = new Dictionary<string, string>();
        foreach (var (name, value) in commands.SelectMany(c => c.Parameters))
        {
            var literal = Literal(value);
            if (values.TryGetValue(name, out var existing) && existing != literal)
            {
                throw new InvalidOperationException($"parameter {name} is bound to {existing} and {literal} in the same query");
            }

            values[name] = literal;
        }

        return ".parameter clear\n" + string.Concat(values.Select(v => $".parameter set {v.Key} \"{v.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n"));
    }

    /// <summary>An SQL literal for a parameter value, as Microsoft.Data.Sqlite binds it.</summary>
    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTime d => "'" + d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture) + "'",
        bool b => b ? "1" : "0",
        int or long or short or byte => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"no literal for a parameter of type {value.GetType()}"),
    };

    private static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static string SqliteLibraryVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    private static string FirstLine(string sql) => sql.Trim().Split('\n')[0].Trim() + " ...";

    internal static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        // Linear interpolation between closest ranks.
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    internal static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    internal static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
