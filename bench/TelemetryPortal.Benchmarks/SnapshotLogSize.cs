using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Services.Telemetry;
using static TelemetryPortal.Benchmarks.HistoryBenchmark;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// A year of half-hourly ~1 MB snapshots of one installation, captured through the portal's own
/// <see cref="TelemetryCaptureService"/> (redactor, content-addressed Brotli store, outbox row), and the
/// size of the database file that results.
/// </summary>
internal static class SnapshotLogSize
{
    private const long TargetBytes = 1_000_000_000;
    private const int TargetSnapshotBytes = 1_000_000;
    private static readonly DateTimeOffset s_start = new(2025, 11, 27, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What the capture run measured, kept beside the cached database.</summary>
    private sealed record Summary(int Snapshots, int Users, int Workspaces, long RawBytes, int DeltaSamples, long DeltaSampleBytes, long DeltaSampleRawBytes, double Seconds);

    public static async Task RunAsync(string directory, int days, bool regenerate)
    {
        var file = Path.Combine(directory, $"snapshots-{days}d.db");
        var summaryFile = file + ".complete";
        Summary summary;
        if (!regenerate && File.Exists(file) && File.Exists(summaryFile))
        {
            Console.WriteLine($"reusing the cached snapshot log {file} (--regenerate rebuilds it)");
            summary = JsonSerializer.Deserialize<Summary>(await File.ReadAllTextAsync(summaryFile)) ?? throw new InvalidDataException(summaryFile);
        }
        else
        {
            HistorySeeder.Delete(file);
            File.Delete(summaryFile);
            summary = await CaptureAsync(file, days);
            await File.WriteAllTextAsync(summaryFile, JsonSerializer.Serialize(summary));
        }

        var (contents, contentBytes, compressedBytes, payloads) = await ContentStatisticsAsync(file);
        var databaseBytes = new FileInfo(file).Length;
        var walBytes = File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0;
        var deltaPerSnapshot = summary.DeltaSamples == 0 ? double.NaN : (double)summary.DeltaSampleBytes / summary.DeltaSamples;
        var deltaEstimate = (long)(deltaPerSnapshot * summary.Snapshots) + (databaseBytes - compressedBytes);

        Console.WriteLine();
        Console.WriteLine($"## Snapshot log size ({days} days, one snapshot every 30 minutes)");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(Invariant($"| snapshots captured (payload rows) | {payloads:N0} |"));
        Console.WriteLine(Invariant($"| simulated installation | {summary.Users:N0} users, {summary.Workspaces:N0} workspaces |"));
        Console.WriteLine(Invariant($"| average snapshot | {summary.RawBytes / (double)summary.Snapshots / 1e6:F3} MB |"));
        Console.WriteLine(Invariant($"| raw bytes captured | {summary.RawBytes / 1e9:F2} GB |"));
        Console.WriteLine(Invariant($"| distinct contents stored | {contents:N0} ({contentBytes / 1e9:F2} GB uncompressed) |"));
        Console.WriteLine(Invariant($"| compressed content bytes | {compressedBytes / 1e9:F3} GB ({compressedBytes / (double)contents / 1e3:F0} kB each, ratio {contentBytes / (double)compressedBytes:F1}:1) |"));
        Console.WriteLine(Invariant($"| **database file** | **{databaseBytes / 1e9:F3} GB** (+ WAL {walBytes / 1e6:F1} MB) |"));
        Console.WriteLine(Invariant($"| target | < {TargetBytes / 1e9:F0} GB: {(databaseBytes + walBytes < TargetBytes ? "MET" : $"MISSED by {(databaseBytes + walBytes - TargetBytes) / 1e9:F2} GB ({(databaseBytes + walBytes) / (double)TargetBytes:F1}x)")} |"));
        Console.WriteLine(Invariant($"| capture time | {summary.Seconds:F0} s ({summary.Seconds * 1e3 / summary.Snapshots:F1} ms per snapshot incl. generation) |"));
        Console.WriteLine(Invariant($"| estimate: each snapshot stored as a Brotli delta against the previous one | {deltaPerSnapshot / 1e3:F1} kB per snapshot ({summary.DeltaSamples} samples); log ~ {deltaEstimate / 1e9:F3} GB |"));
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
        long deltaBytes = 0, deltaRaw = 0;
        var deltaSamples = 0;
        var producer = Task.Run(async () =>
        {
            byte[]? previous = null;
            for (var n = 0; n < count; n++)
            {
                var bytes = Snapshot(users, workspaces, s_start.AddMinutes(30 * n));
                // Every 24th pair: what a delta against the previous snapshot would cost (Brotli of both minus Brotli of the previous).
                if (previous is not null && n % 24 == 0)
                {
                    var both = new byte[previous.Length + bytes.Length];
                    previous.CopyTo(both, 0);
                    bytes.CopyTo(both, previous.Length);
                    deltaBytes += Brotli(both) - Brotli(previous);
                    deltaRaw += bytes.Length;
                    deltaSamples++;
                }

                previous = bytes;
                await channel.Writer.WriteAsync((n, bytes));
            }

            channel.Writer.Complete();
        });

        long raw = 0;
        await foreach (var (index, bytes) in channel.Reader.ReadAllAsync())
        {
            portal.Clock.Now = s_start.AddMinutes(30 * index);
            await capture.CaptureAsync(PayloadKind.Snapshot, bytes, "Simulated", "v2.24.1");
            raw += bytes.Length;
            if ((index + 1) % 1000 == 0 || index == count - 1)
            {
                Console.WriteLine($"  {index + 1:N0} / {count:N0} snapshots ({watch.Elapsed.TotalSeconds:F0} s, database {new FileInfo(file).Length / 1e6:F0} MB)");
            }
        }

        await producer;
        return new Summary(count, users, workspaces, raw, deltaSamples, deltaBytes, deltaRaw, watch.Elapsed.TotalSeconds);
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
        using (var writer = new Utf8JsonWriter(buffer))
        {
            installation.WriteSnapshot(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Brotli at the store's settings (quality 5) with a window large enough to reach back into the previous snapshot.</summary>
    private static long Brotli(byte[] bytes)
    {
        using var encoder = new BrotliEncoder(quality: 5, window: 22);
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        var status = encoder.Compress(bytes, output, out _, out var written, isFinalBlock: true);
        return status == System.Buffers.OperationStatus.Done ? written : throw new InvalidOperationException(status.ToString());
    }

    private static async Task<(long Contents, long Bytes, long Compressed, long Payloads)> ContentStatisticsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(\"Length\"), 0), coalesce(sum(length(\"Compressed\")), 0), (SELECT count(*) FROM payloads) FROM payload_contents";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }
}
