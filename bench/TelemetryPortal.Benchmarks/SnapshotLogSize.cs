using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Features.Telemetry;
using static TelemetryPortal.Benchmarks.HistoryBenchmark;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// A year of half-hourly ~1 MB snapshots of one installation, captured through the portal's own
/// <see cref="TelemetryCaptureService"/> (redactor, content-addressed store with keyframes and deltas,
/// outbox row), the size of the database file that results, and how fast the exact bytes read back.
/// </summary>
internal static class SnapshotLogSize
{
    private const long TargetBytes = 1_000_000_000;
    private const int TargetSnapshotBytes = 1_000_000;
    private const int ReadSamples = 300;

    /// <summary>Bumped when the store's format changes, so that a database cached by an older portal is captured anew.</summary>
    private const int StoreFormat = 2;
    private static readonly DateTimeOffset s_start = new(2025, 11, 27, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What the capture run measured, kept beside the cached database.</summary>
    private sealed record Summary(int Snapshots, int Users, int Workspaces, long RawBytes, double Seconds, int StoreFormat);

    public static async Task RunAsync(string directory, int days, bool regenerate)
    {
        var file = Path.Combine(directory, $"snapshots-{days}d.db");
        var summaryFile = file + ".complete";
        Summary summary;
        var cached = !regenerate && File.Exists(file) && File.Exists(summaryFile)
            ? JsonSerializer.Deserialize<Summary>(await File.ReadAllTextAsync(summaryFile))
            : null;
        if (cached is { StoreFormat: StoreFormat })
        {
            Console.WriteLine($"reusing the cached snapshot log {file} (--regenerate rebuilds it)");
            summary = cached;
        }
        else
        {
            HistorySeeder.Delete(file);
            File.Delete(summaryFile);
            summary = await CaptureAsync(file, days);
            await File.WriteAllTextAsync(summaryFile, JsonSerializer.Serialize(summary));
        }

        var stats = await ContentStatisticsAsync(file);
        var databaseBytes = new FileInfo(file).Length;
        var walBytes = File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0;
        var reads = await ReadBackAsync(file);
        var search = await SearchAsync(file);

        Console.WriteLine();
        Console.WriteLine($"## Snapshot log size ({days} days, one snapshot every 30 minutes)");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(Invariant($"| snapshots captured (payload rows) | {stats.Payloads:N0} |"));
        Console.WriteLine(Invariant($"| simulated installation | {summary.Users:N0} users, {summary.Workspaces:N0} workspaces |"));
        Console.WriteLine(Invariant($"| average snapshot | {summary.RawBytes / (double)summary.Snapshots / 1e6:F3} MB |"));
        Console.WriteLine(Invariant($"| raw bytes captured | {summary.RawBytes / 1e9:F2} GB |"));
        Console.WriteLine(Invariant($"| distinct contents stored | {stats.Contents:N0} ({stats.Bytes / 1e9:F2} GB uncompressed) |"));
        Console.WriteLine(Invariant($"| keyframes (stored whole, Brotli) | {stats.Keyframes:N0}, {stats.KeyframeBytes / 1e6:F1} MB ({stats.KeyframeBytes / (double)Math.Max(1, stats.Keyframes) / 1e3:F0} kB each) |"));
        Console.WriteLine(Invariant($"| deltas (Zstandard against a keyframe) | {stats.Deltas:N0}, {stats.DeltaBytes / 1e6:F1} MB ({stats.DeltaBytes / (double)Math.Max(1, stats.Deltas) / 1e3:F1} kB each) |"));
        Console.WriteLine(Invariant($"| stored content bytes | {(stats.KeyframeBytes + stats.DeltaBytes) / 1e9:F3} GB (ratio {stats.Bytes / (double)(stats.KeyframeBytes + stats.DeltaBytes):F0}:1) |"));
        Console.WriteLine(Invariant($"| **database file** | **{databaseBytes / 1e9:F3} GB** (+ WAL {walBytes / 1e6:F1} MB) |"));
        Console.WriteLine(Invariant($"| target | < {TargetBytes / 1e9:F0} GB: {(databaseBytes + walBytes < TargetBytes ? "MET" : $"MISSED by {(databaseBytes + walBytes - TargetBytes) / 1e9:F2} GB ({(databaseBytes + walBytes) / (double)TargetBytes:F1}x)")} |"));
        Console.WriteLine(Invariant($"| capture time | {summary.Seconds:F0} s ({summary.Seconds * 1e3 / summary.Snapshots:F1} ms per snapshot incl. generation) |"));
        Console.WriteLine(Invariant($"| exact bytes read back ({ReadSamples} payloads spread over the log, SHA-256 checked) | p50 {reads.P50:F1} ms, p95 {reads.P95:F1} ms per payload; all {ReadSamples} hash to their logged SHA-256 |"));
        Console.WriteLine(Invariant($"| history text search, a word in every snapshot (rebuilds the newest {HistoryService.MaxContentSearch} contents; {SearchReps} runs) | p50 {search.Hit.P50:F0} ms, p95 {search.Hit.P95:F0} ms; {search.Hit.Total:N0} matches |"));
        Console.WriteLine(Invariant($"| history text search, a word in none (every byte of those contents read; {SearchReps} runs) | p50 {search.Miss.P50:F0} ms, p95 {search.Miss.P95:F0} ms; {search.Miss.Total:N0} matches |"));
    }

    private static async Task<Summary> CaptureAsync(string file, int days)
    {
        var (users, workspaces) = Calibrate();
        var count = days * 48;
        Console.WriteLine($"capturing {count:N0} snapshots ({users} users, {workspaces} workspaces, ~1 MB each) through TelemetryCaptureService into {file} ...");
        var watch = Stopwatch.StartNew();
        await using var portal = await BenchPortal.OpenAsync(file, s_start);
        var capture = portal.Get<TelemetryCaptureService>();
        var channel = Channel.CreateBounded<(int Index, byte[] Bytes)>(4);
        var producer = Task.Run(async () =>
        {
            for (var n = 0; n < count; n++)
            {
                await channel.Writer.WriteAsync((n, Snapshot(users, workspaces, s_start.AddMinutes(30 * n))));
            }

            channel.Writer.Complete();
        });

        long raw = 0;
        await foreach (var (index, bytes) in channel.Reader.ReadAllAsync())
        {
            portal.Clock.Now = s_start.AddMinutes(30 * index);
            await capture.CaptureAsync(PayloadKind.Snapshot, bytes, TelemetrySource.Simulated, "v2.24.1");
            raw += bytes.Length;
            if ((index + 1) % 1000 == 0 || index == count - 1)
            {
                Console.WriteLine($"  {index + 1:N0} / {count:N0} snapshots ({watch.Elapsed.TotalSeconds:F0} s, database {new FileInfo(file).Length / 1e6:F0} MB)");
            }
        }

        await producer;
        return new Summary(count, users, workspaces, raw, watch.Elapsed.TotalSeconds, StoreFormat);
    }

    /// <summary>The installation size whose snapshot is ~1 MB, found from a small one (the size grows linearly).</summary>
    private static (int Users, int Workspaces) Calibrate()
    {
        var small = Snapshot(100, 250, s_start).Length;
        var users = (int)Math.Round(100.0 * TargetSnapshotBytes / small);
        return (users, users * 5 / 2);
    }

    /// <summary>
    /// The same installation every time (fixed seed), with the clock advanced: the records stay, their
    /// timestamps and the last hour's activity (builds, agents, stats) move; activity follows the day.
    /// </summary>
    private static byte[] Snapshot(int users, int workspaces, DateTimeOffset now)
    {
        var hour = now.Hour + (now.Minute / 60.0);
        var installation = new SimulatedInstallation(new SimulationOptions
        {
            Seed = 11,
            Users = users,
            Workspaces = workspaces,
            Templates = 12,
            Groups = 10,
            RecentActivity = 0.15 + (0.1 * Math.Sin(hour / 24 * 2 * Math.PI)),
            Now = now,
        });
        using var buffer = new MemoryStream(TargetSnapshotBytes + (TargetSnapshotBytes / 4));
        installation.WriteSnapshot(buffer);
        return buffer.ToArray();
    }

    private sealed record ContentStatistics(long Contents, long Bytes, long Payloads, long Keyframes, long KeyframeBytes, long Deltas, long DeltaBytes);

    private static async Task<ContentStatistics> ContentStatisticsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*), coalesce(sum("Length"), 0), (SELECT count(*) FROM payloads),
                   count(*) FILTER (WHERE "Encoding" = 'Brotli'), coalesce(sum(length("Compressed")) FILTER (WHERE "Encoding" = 'Brotli'), 0),
                   count(*) FILTER (WHERE "Encoding" = 'ZstdDelta'), coalesce(sum(length("Compressed")) FILTER (WHERE "Encoding" = 'ZstdDelta'), 0)
            FROM payload_contents
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ContentStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
    }

    private const int SearchReps = 5;

    /// <summary>
    /// The History page's text search as the page runs it (<see cref="HistoryService.QueryAsync(HistoryFilter, int, int, string?, bool, CancellationToken)"/> with
    /// <c>q</c>): the word is in every snapshot, so the newest contents are all rebuilt and searched.
    /// </summary>
    private static async Task<((double P50, double P95, int Total) Hit, (double P50, double P95, int Total) Miss)> SearchAsync(string file)
    {
        await using var portal = await BenchPortal.OpenAsync(file, s_start);
        var history = portal.Get<HistoryService>();
        return (await TimeAsync("workspace_agent_stats"), await TimeAsync("no-such-text-in-any-payload"));

        async Task<(double P50, double P95, int Total)> TimeAsync(string query)
        {
            var times = new List<double>();
            var total = 0;
            for (var i = 0; i < SearchReps; i++)
            {
                var watch = Stopwatch.StartNew();
                var page = await history.QueryAsync(new HistoryFilter(Query: query));
                times.Add(watch.Elapsed.TotalMilliseconds);
                total = page.Total;
            }

            times.Sort();
            return (Percentile(times, 0.50), Percentile(times, 0.95), total);
        }
    }

    /// <summary>
    /// Reads payloads spread evenly over the log through <see cref="HistoryService.GetBytesAsync"/> (as the
    /// detail page and the exact-bytes API do: a keyframe and a delta rebuilt, the SHA-256 checked), each
    /// with a cold keyframe, and checks the bytes against the logged hash.
    /// </summary>
    private static async Task<(double P50, double P95)> ReadBackAsync(string file)
    {
        await using var portal = await BenchPortal.OpenAsync(file, s_start);
        var history = portal.Get<HistoryService>();
        var ids = new List<long>();
        await using (var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Id\" FROM payloads ORDER BY \"Id\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var times = new List<double>();
        for (var i = 0; i < ReadSamples; i++)
        {
            var id = ids[(int)((long)i * (ids.Count - 1) / (ReadSamples - 1))];
            var watch = Stopwatch.StartNew();
            var (payload, content) = await history.GetBytesAsync(id);
            var bytes = await content.ReadAllAsync(int.MaxValue);
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (PayloadStore.Hash(bytes) != payload.Sha256 || bytes.Length != payload.SizeBytes)
            {
                throw new InvalidDataException($"payload {id} read back as other bytes than were logged");
            }
        }

        times.Sort();
        return (Percentile(times, 0.50), Percentile(times, 0.95));
    }
}
