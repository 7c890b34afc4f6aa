using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// Level-1 redaction of a large Coder-shaped snapshot, side by side with jq doing the same deletions
/// and a bare Utf8JsonReader pass (the ceiling), all reading the same file in the same run.
/// </summary>
internal static class RedactionBenchmark
{
    private const int ChunkBytes = 1024 * 1024;

    public static int Run(string[] args)
    {
        var reps = Option(args, "--reps", 5);
        var users = Option(args, "--users", 200_000);
        var workspaces = Option(args, "--workspaces", 500_000);
        var dataDirectory = OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), "telemetry-portal-bench");
        var regenerate = args.Contains("--regenerate");

        var file = EnsureSnapshot(dataDirectory, users, workspaces, regenerate);
        var size = new FileInfo(file).Length;
        Console.WriteLine($"snapshot: {file} ({size / 1e6:F1} MB, {users:N0} users, {workspaces:N0} workspaces)");

        var redactor = new Redactor(DataDictionary.Default, new RedactorOptions { MaxPayloadBytes = 16L << 30, ChunkBytes = ChunkBytes });
        var jqFilter = JqFilter(DataDictionary.Default);
        var jq = FindOnPath("jq");
        Console.WriteLine(jq is null
            ? "jq: NOT FOUND on PATH; install it with `apt-get install -y jq` to get the comparison."
            : $"jq: {jq} ({Version(jq)}), filter: {jqFilter}");
        Console.WriteLine($"repetitions: {reps}, chunk: {ChunkBytes / 1024} KiB, processors: {Environment.ProcessorCount}, runtime: {Environment.Version}");
        Console.WriteLine();

        // Warm up the JIT and the page cache.
        Bare(file);
        var warm = Redact(redactor, file);
        Console.WriteLine($"redactor output: {warm.Result.OutputBytes / 1e6:F1} MB; dropped {warm.Result.DroppedFields:N0} fields, masked {warm.Result.MaskedEmails:N0} e-mails and {warm.Result.MaskedIpAddresses:N0} IPs in {warm.Result.MaskedValues:N0} values, {warm.Result.UnknownFieldsDropped:N0} unknown fields");

        var bare = new List<double>();
        var redaction = new List<double>();
        var jqTimes = new List<double>();
        long allocated = 0;
        long jqOutput = 0;
        for (var rep = 0; rep < reps; rep++)
        {
            bare.Add(Bare(file));
            var run = Redact(redactor, file);
            redaction.Add(run.Seconds);
            allocated = Math.Max(allocated, run.Allocated);
            if (jq is not null)
            {
                var (seconds, output) = Jq(jq, jqFilter, file);
                jqTimes.Add(seconds);
                jqOutput = output;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rep {rep + 1}: bare {size / 1e6 / bare[^1]:F0} MB/s, redactor {size / 1e6 / redaction[^1]:F0} MB/s{(jq is null ? "" : $", jq {size / 1e6 / jqTimes[^1]:F1} MB/s")}"));
        }

        var bareMbs = size / 1e6 / Median(bare);
        var redactorMbs = size / 1e6 / Median(redaction);
        Console.WriteLine();
        Console.WriteLine("| pass | median time (s) | MB/s | redactor ÷ this |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("bare Utf8JsonReader (ceiling)", Median(bare), bareMbs, redactorMbs));
        Console.WriteLine(Row("Redactor, level 1", Median(redaction), redactorMbs, redactorMbs));
        if (jq is not null)
        {
            var jqMbs = size / 1e6 / Median(jqTimes);
            Console.WriteLine(Row("jq, same deletions (no masking)", Median(jqTimes), jqMbs, redactorMbs));
            Console.WriteLine();
            Console.WriteLine($"jq output: {jqOutput / 1e6:F1} MB (compact)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redactor / jq: {redactorMbs / jqMbs:F1}x (target >= 10x) {(redactorMbs / jqMbs >= 10 ? "MET" : "MISSED")}"));
        }
        else
        {
            Console.WriteLine("jq: missing, no comparison made.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redactor / bare reader: {redactorMbs / bareMbs:F2}x (target >= 0.5x) {(redactorMbs / bareMbs >= 0.5 ? "MET" : "MISSED")}"));
        Console.WriteLine($"redactor managed allocations per run: {allocated / 1e6:F2} MB (input {size / 1e6:F0} MB)");
        Console.WriteLine($"process peak working set (VmHWM, whole run incl. generation): {PeakWorkingSet() / 1e6:F0} MB");
        return 0;
    }

    private static string Row(string name, double seconds, double mbs, double redactorMbs) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {seconds:F3} | {mbs:F0} | {redactorMbs / mbs:F2}x |");

    internal static string EnsureSnapshot(string directory, int users, int workspaces, bool regenerate)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"snapshot-u{users}-w{workspaces}-seed1.json");
        if (File.Exists(file) && !regenerate)
        {
            Console.WriteLine("reusing the cached snapshot");
            return file;
        }

        Console.WriteLine("generating the snapshot (streamed to disk)...");
        var watch = Stopwatch.StartNew();
        var installation = new SimulatedInstallation(new SimulationOptions
        {
            Seed = 1,
            Users = users,
            Workspaces = workspaces,
            Organizations = 5,
            Templates = 250,
            Groups = 400,
            RecentActivity = 0.1,
            ActiveUsers = 0.3,
            FailedJobs = 0.15,
            Licenses = 2,
        });
        var temporary = file + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            installation.WriteSnapshot(stream);
        }

        File.Move(temporary, file, overwrite: true);
        Console.WriteLine($"generated in {watch.Elapsed.TotalSeconds:F1} s");
        return file;
    }

    private sealed record RedactionRun(double Seconds, long Allocated, RedactionResult Result);

    private static RedactionRun Redact(Redactor redactor, string file)
    {
        var output = new DiscardingBufferWriter();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        var result = redactor.Redact(stream, PayloadKind.Snapshot, TelemetryLevel.Lightweight, output);
        var seconds = watch.Elapsed.TotalSeconds;
        return new RedactionRun(seconds, GC.GetTotalAllocatedBytes(precise: true) - before, result);
    }

    private static double Bare(string file)
    {
        var watch = Stopwatch.StartNew();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 65 });
        var filled = 0;
        long tokens = 0;
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), isFinalBlock: read == 0, state);
            while (reader.Read())
            {
                tokens++;
            }

            state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            if (read == 0)
            {
                break;
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
        GC.KeepAlive(tokens);
        return watch.Elapsed.TotalSeconds;
    }

    private static (double Seconds, long OutputBytes) Jq(string jq, string filter, string file)
    {
        var output = Path.Combine(Path.GetDirectoryName(file)!, "jq-output.json");
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "\"$0\" -c \"$1\" \"$2\" > \"$3\"", jq, filter, file, output },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var seconds = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"jq failed ({process.ExitCode}): {errors}");
        }

        var bytes = new FileInfo(output).Length;
        File.Delete(output);
        return (seconds, bytes);
    }

    /// <summary>The level-1 deletions as a jq program, from the same dictionary the redactor uses.</summary>
    internal static string JqFilter(DataDictionary dictionary)
    {
        var paths = dictionary.WithheldAt(TelemetryLevel.Lightweight)
            .Where(e => e.Kind == PayloadKind.Snapshot)
            // A list's elements and a map's values are both iterated with []? in jq.
            .Select(e => e.Path["snapshot".Length..].Replace("[]", "[]?", StringComparison.Ordinal).Replace("{}", "[]?", StringComparison.Ordinal));
        return $"del({string.Join(", ", paths)})";
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string Version(string jq)
    {
        using var process = Process.Start(new ProcessStartInfo(jq, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }

    internal static long PeakWorkingSet()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Environment.WorkingSet;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>Counts and forgets what it is given, so the measurement is the redaction, not the disk.</summary>
    private sealed class DiscardingBufferWriter : IBufferWriter<byte>
    {
        private readonly byte[] _buffer = new byte[1 << 20];

        public long Written { get; private set; }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => sizeHint <= _buffer.Length ? _buffer : new byte[sizeHint];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
