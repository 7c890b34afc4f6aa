using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using TelemetryPortal.Core.Simulation;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// What storing a large snapshot costs each way: whole in 1 MiB Zstandard blocks (what the portal does above 4 MiB), or
/// as one Zstandard delta against the snapshot half an hour earlier (what it does for small ones, which needs both in
/// memory). Two snapshots of the same simulated installation, 30 minutes apart, generated in memory.
/// </summary>
internal static class StorageChoiceBenchmark
{
    public static int Run(string[] args)
    {
        var users = HistoryBenchmark.Option(args, "--users", 41_000);
        var workspaces = HistoryBenchmark.Option(args, "--workspaces", 100_000);
        var start = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var earlier = Generate(users, workspaces, start);
        var later = Generate(users, workspaces, start.AddMinutes(30));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshots: {earlier.Length / 1e6:F1} MB and {later.Length / 1e6:F1} MB ({users:N0} users, {workspaces:N0} workspaces), 30 minutes apart"));

        var watch = Stopwatch.StartNew();
        long blocks = 0;
        using (var compressor = new Compressor(1))
        {
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            var output = new byte[Compressor.GetCompressBound(1 << 20)];
            for (var offset = 0; offset < later.Length; offset += 1 << 20)
            {
                blocks += compressor.Wrap(later.AsSpan(offset, Math.Min(1 << 20, later.Length - offset)), output);
            }
        }

        var blockSeconds = watch.Elapsed.TotalSeconds;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        watch.Restart();
        int delta;
        using (var compressor = new Compressor(9))
        {
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, 27);
            compressor.LoadDictionary(earlier);
            delta = compressor.Wrap(later).Length;
        }

        var deltaSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine("| stored as | bytes | ratio | time (s) | held in memory while storing |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| 1 MiB Zstandard blocks (level 1) | {blocks / 1e6:F1} MB | {(double)later.Length / blocks:F1}x | {blockSeconds:F2} | about 2 MiB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| delta against 30 min earlier (level 9) | {delta / 1e6:F2} MB | {(double)later.Length / delta:F0}x | {deltaSeconds:F2} | both snapshots, {(later.Length + earlier.Length) / 1e6:F0} MB, plus the coder's tables ({(GC.GetTotalAllocatedBytes(precise: true) - before) / 1e6:F0} MB managed) |"));
        return 0;
    }

    private static byte[] Generate(int users, int workspaces, DateTimeOffset now)
    {
        var installation = new SimulatedInstallation(new SimulationOptions { Seed = 1, Users = users, Workspaces = workspaces, Now = now, RecentActivity = 0.1 });
        var buffer = new ArrayBufferWriter<byte>();
        installation.WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
