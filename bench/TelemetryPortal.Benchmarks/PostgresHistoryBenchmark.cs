using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// The history page's queries over a sent log of a million rows on PostgreSQL, through <see cref="HistoryService"/>,
/// side by side with <c>psql</c> running the same SQL (EF's text, its parameters inlined as literals) and bare Npgsql
/// running EF's command, on the same database in the same run.
/// </summary>
internal static partial class PostgresHistoryBenchmark
{
    private const double TargetRatio = 2.0;
    private const double TargetP95Ms = 50;

    private sealed record Case(string Name, HistoryFilter Filter);

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = HistoryBenchmark.Option(args, "--rows", 1_000_000);
        var reps = HistoryBenchmark.Option(args, "--reps", 30);
        var warmup = HistoryBenchmark.Option(args, "--warmup", 5);
        var directory = HistoryBenchmark.OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), "telemetry-portal-bench");
        var connection = HistoryBenchmark.OptionText(args, "--connection");
        var regenerate = args.Contains("--regenerate");
        var psql = HistoryBenchmark.OptionText(args, "--psql") ?? "/usr/bin/psql";
        if (!File.Exists(psql))
        {
            throw new InvalidOperationException($"psql was not found at {psql} (install postgresql-client, or pass --psql PATH).");
        }

        Directory.CreateDirectory(directory);
        Console.WriteLine($"processors: {Environment.ProcessorCount}, runtime: {Environment.Version}, OS: {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        await using var cluster = connection is null ? await PostgresCluster.StartAsync(Path.Combine(directory, "postgres")) : null;
        var admin = connection ?? cluster!.AdminConnectionString;
        Console.WriteLine(cluster is null ? $"server: {Redacted(admin)} (--connection)" : $"server: the benchmark's own cluster in {Path.Combine(directory, "postgres")}, stopped at the end");
        await QueriesAsync(admin, directory, rows, reps, warmup, regenerate, psql);
        return 0;
    }

    private static async Task QueriesAsync(string admin, string directory, int rows, int reps, int warmup, bool regenerate, string psql)
    {
        var database = PostgresCluster.Database(admin, PostgresHistorySeeder.DatabaseName(rows));
        var portalData = Path.Combine(directory, $"pg-history-{rows}-data");
        if (regenerate || !await PostgresHistorySeeder.IsSeededAsync(admin, rows))
        {
            await PostgresCluster.RecreateAsync(admin, PostgresHistorySeeder.DatabaseName(rows));
            Console.WriteLine($"seeding {rows:N0} payload rows into database {PostgresHistorySeeder.DatabaseName(rows)} ...");
            var watch = Stopwatch.StartNew();
            await using (var seeding = await BenchPortal.OpenPostgresAsync(database, portalData, HistorySeeder.End))
            {
                await PostgresHistorySeeder.SeedAsync(seeding, database, rows);
            }

            Console.WriteLine($"seeded in {watch.Elapsed.TotalSeconds:F0} s");
        }
        else
        {
            Console.WriteLine($"reusing the seeded database {PostgresHistorySeeder.DatabaseName(rows)} (--regenerate rebuilds it)");
        }

        // Opening runs the portal's initializer, so migrations added since the seed (new indexes) are applied here.
        await using var portal = await BenchPortal.OpenPostgresAsync(database, portalData, HistorySeeder.End);
        Console.WriteLine(await DescribeAsync(database));
        Console.WriteLine($"psql: {psql} ({PsqlShell.Version(psql)})");
        Console.WriteLine($"repetitions: {reps} after {warmup} warm-up runs, interleaved (portal, Npgsql, psql, empty psql batch; rotated each repetition)");

        var history = portal.Get<HistoryService>();
        var to = HistorySeeder.End.AddDays(-60);
        Case[] cases =
        [
            new("first page (no filter, newest first)", new HistoryFilter()),
            new("filtered page (snapshot, Sent, level 2, 30 days)", new HistoryFilter(From: to.AddDays(-30), To: to, Kind: PayloadKind.Snapshot, Level: 2, Status: PayloadStatus.Sent)),
        ];

        var table = new List<string>();
        var details = new StringBuilder();
        using var shell = new PsqlShell(psql, database);
        foreach (var benchCase in cases)
        {
            portal.Commands.Take();
            portal.Commands.Recording = true;
            var sample = await history.QueryAsync(benchCase.Filter);
            portal.Commands.Recording = false;
            var commands = portal.Commands.Take();
            if (commands.Count == 0)
            {
                throw new InvalidOperationException("EF's commands were not recorded: the recorder is not on the PostgreSQL context's options.");
            }

            var inlined = commands.Select(Inline).ToList();
            details.AppendLine(CultureInfo.InvariantCulture, $"### {benchCase.Name}: total {sample.Total:N0}, {sample.Items.Count} rows on the page").AppendLine();
            foreach (var (command, sql) in commands.Zip(inlined))
            {
                details.AppendLine("EF's command:").AppendLine("```sql").AppendLine(command.Text.Trim()).AppendLine("```");
                details.AppendLine("parameters: " + (command.Parameters.Count == 0 ? "none" : string.Join(", ", command.Parameters.Select(p => $"{p.Name} = {Literal(p.Value)}"))));
                details.AppendLine().AppendLine("as psql runs it:").AppendLine("```sql").AppendLine(sql).AppendLine("```").AppendLine();
            }

            foreach (var sql in inlined)
            {
                details.AppendLine("```").AppendLine("EXPLAIN (ANALYZE, BUFFERS) " + FirstLine(sql)).AppendLine(string.Join('\n', await PlanAsync(database, sql))).AppendLine("```");
            }

            var script = string.Join('\n', inlined);
            var check = shell.Run(script);
            var psqlTotal = int.Parse(check.Lines[0], CultureInfo.InvariantCulture);
            if (psqlTotal != sample.Total || check.Lines.Count - 1 != sample.Items.Count)
            {
                throw new InvalidOperationException($"psql answered {psqlTotal} / {check.Lines.Count - 1} rows; the portal {sample.Total} / {sample.Items.Count}.");
            }

            details.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"psql agrees: total {psqlTotal:N0}, {check.Lines.Count - 1} rows.").AppendLine();

            var portalTimes = new List<double>();
            var npgsqlTimes = new List<double>();
            var psqlTimer = new List<double>();
            var psqlWall = new List<double>();
            var emptyWall = new List<double>();
            for (var rep = -warmup; rep < reps; rep++)
            {
                for (var turn = 0; turn < 4; turn++)
                {
                    switch ((turn + Math.Max(rep, 0)) % 4)
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
                            var bare = await NpgsqlAsync(database, commands);
                            if (rep >= 0)
                            {
                                npgsqlTimes.Add(bare);
                            }

                            break;
                        case 2:
                            var result = shell.Run(script);
                            if (rep >= 0)
                            {
                                psqlTimer.Add(result.TimerSeconds);
                                psqlWall.Add(result.WallSeconds);
                            }

                            break;
                        case 3:
                            var empty = shell.Run("");
                            if (rep >= 0)
                            {
                                emptyWall.Add(empty.WallSeconds);
                            }

                            break;
                    }
                }
            }

            var emptyMedian = HistoryBenchmark.Percentile(emptyWall, 0.5);
            var psqlNet = psqlWall.Select(w => Math.Max(w - emptyMedian, 0)).ToList();
            double Ms(List<double> values, double p) => HistoryBenchmark.Percentile(values, p) * 1e3;
            var ratio50 = Ms(portalTimes, 0.5) / Ms(psqlTimer, 0.5);
            var ratio95 = Ms(portalTimes, 0.95) / Ms(psqlTimer, 0.95);
            var met = ratio50 <= TargetRatio && Ms(portalTimes, 0.95) < TargetP95Ms;
            Console.WriteLine();
            Console.WriteLine($"{benchCase.Name}: total {sample.Total:N0}");
            table.Add(HistoryBenchmark.Invariant(
                $"| {benchCase.Name} | {Ms(portalTimes, 0.5):F2} | {Ms(portalTimes, 0.95):F2} | {Ms(npgsqlTimes, 0.5):F2} | {Ms(npgsqlTimes, 0.95):F2} | {Ms(psqlTimer, 0.5):F2} | {Ms(psqlTimer, 0.95):F2} | {Ms(psqlNet, 0.5):F2} | {ratio50:F2}x | {ratio95:F2}x | {(met ? "MET" : "MISSED")} |"));
            details.AppendLine(HistoryBenchmark.Invariant($"psql: empty batch round trip p50 {emptyMedian * 1e3:F3} ms; wall time less that, p50 {Ms(psqlNet, 0.5):F2} ms, p95 {Ms(psqlNet, 0.95):F2} ms.")).AppendLine();
        }

        Console.WriteLine();
        Console.WriteLine("| query | portal p50 (ms) | portal p95 (ms) | Npgsql p50 (ms) | Npgsql p95 (ms) | psql \\timing p50 (ms) | psql \\timing p95 (ms) | psql wall less empty batch p50 (ms) | portal/psql p50 | portal/psql p95 | target (<= 2x, p95 < 50 ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        table.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(details.ToString());
    }

    /// <summary>EF's commands through bare Npgsql on a pooled connection: open, count, read the page.</summary>
    private static async Task<double> NpgsqlAsync(string database, IReadOnlyList<RecordedCommand> commands)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var recorded in commands)
        {
            await using var command = new NpgsqlCommand(recorded.Text, connection);
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

    private static async Task<IReadOnlyList<string>> PlanAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql.TrimEnd(';'), connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    /// <summary>The server, its settings that bear on these queries, the table's size and the portal's migrations.</summary>
    private static async Task<string> DescribeAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT version(), current_setting('shared_buffers'), current_setting('work_mem'), current_setting('max_parallel_workers_per_gather'),
                   current_setting('fsync'), current_setting('synchronous_commit'),
                   pg_size_pretty(pg_table_size('payloads')), pg_size_pretty(pg_indexes_size('payloads')),
                   (SELECT string_agg("MigrationId", ', ' ORDER BY "MigrationId") FROM "__EFMigrationsHistory"),
                   (SELECT last_analyze::text || ' / ' || coalesce(last_vacuum::text, 'never') FROM pg_stat_user_tables WHERE relname = 'payloads')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"""
            server: {reader.GetString(0)}
            shared_buffers {reader.GetString(1)}, work_mem {reader.GetString(2)}, max_parallel_workers_per_gather {reader.GetString(3)}, fsync {reader.GetString(4)}, synchronous_commit {reader.GetString(5)}
            payloads: table {reader.GetString(6)}, indexes {reader.GetString(7)}; last analyze / vacuum: {(reader.IsDBNull(9) ? "never" : reader.GetString(9))}
            migrations: {reader.GetString(8)}
            """;
    }

    /// <summary>EF's command text with its parameters replaced by literals of the types Npgsql binds them as.</summary>
    internal static string Inline(RecordedCommand command)
    {
        var values = command.Parameters.ToDictionary(p => p.Name.TrimStart('@'), p => Literal(p.Value));
        var sql = Placeholder().Replace(command.Text.Trim(), match =>
            values.TryGetValue(match.Groups[1].Value, out var literal) ? literal : throw new InvalidOperationException($"{match.Value} is not one of the command's parameters"));
        return sql.TrimEnd(';') + ";";
    }

    [GeneratedRegex("@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Placeholder();

    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTime { Kind: DateTimeKind.Utc } d => "TIMESTAMPTZ '" + d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.ffffff", CultureInfo.InvariantCulture) + "+00'",
        DateTime d => "TIMESTAMP '" + d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.ffffff", CultureInfo.InvariantCulture) + "'",
        bool b => b ? "TRUE" : "FALSE",
        Guid g => "'" + g.ToString() + "'::uuid",
        int or long or short or byte => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new NotSupportedException($"no literal for a parameter of type {value.GetType()}"),
    };

    private static string FirstLine(string sql) => sql.Trim().Split('\n')[0].Trim() + " ...";

    private static string Redacted(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString;
}
