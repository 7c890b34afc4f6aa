using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Fuzz;

/// <summary>
/// A long CsCheck run over the redactor's input at level 1: Coder-shaped snapshots whose strings hold addresses in
/// every encoding, the same bytes mutated (tokens inserted, bytes flipped, cut short), and raw noise. Every input must
/// either be refused with a <see cref="RedactionException"/> or give valid JSON in which no string holds an address, and
/// no input may take more than <c>--slow</c> seconds (a watchdog saves it and stops the run if one never returns).
/// </summary>
internal static partial class RedactorFuzzer
{
    private static readonly string[] s_tokens =
    [
        "\"", "\\", "\\u0040", "\\\\u0040", "%40", "%2540", "@", "::", ":", ".", "-", "{", "}", "[", "]", ",", "\\\"", "%",
        "\\u00", "\\ud800", "1.2.3.4", "fe80::1", "ada@example.com", "://a:b@", "ip-10-1-2-3", "\u00e9", "\u2028", "\0",
        "null", "true", "123", "-0.5e9", "\"x_future\":", "{\"a@b.c\":1}", "\"ada lovelace\"@example.com", "ada@[10.1.2.3]",
        "%06", "\\n", "%25", "2024-05-01-12-00", "ip-", "::ffff:", "%eth0",
    ];

    private static readonly Gen<string> s_token = Gen.Int[0, s_tokens.Length - 1].Select(i => s_tokens[i]);

    public static int Run(string[] args)
    {
        if (args.SkipWhile(a => a != "--replay").Skip(1).FirstOrDefault() is { } replay)
        {
            return Replay(File.ReadAllBytes(replay));
        }

        var seconds = Option(args, "--seconds", 600);
        var slow = Option(args, "--slow", 2);
        var seed = args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault();
        var findings = Path.GetFullPath(args.SkipWhile(a => a != "--findings").Skip(1).FirstOrDefault() ?? "artifacts/fuzz");
        Directory.CreateDirectory(findings);
        Console.WriteLine($"fuzzing Redactor.Default at level 1 for {seconds} s (slow input: > {slow} s), findings in {findings}");

        var stats = new Stats();
        var watchdog = new Watchdog(findings, TimeSpan.FromSeconds(Math.Max(10, slow * 5)));
        var watch = Stopwatch.StartNew();
        try
        {
            Input().Sample(
                input => Check(input, stats, watchdog, TimeSpan.FromSeconds(slow)),
                writeLine: Console.WriteLine,
                seed: seed,
                iter: -1,
                time: seconds,
                threads: 1,
                print: input => $"{input.Length} bytes: {Preview(input)}");
        }
        catch (Exception e)
        {
            Console.WriteLine($"FINDING after {watch.Elapsed.TotalSeconds:F0} s and {stats.Inputs:N0} inputs:");
            Console.WriteLine(e.Message);
            File.WriteAllText(Path.Combine(findings, $"finding-{DateTime.UtcNow:yyyyMMddHHmmss}.txt"), e.ToString());
            return 1;
        }
        finally
        {
            watchdog.Dispose();
        }

        if (stats.SlowestInput is { } slowest)
        {
            File.WriteAllBytes(Path.Combine(findings, "slowest-input.json"), slowest);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ran {watch.Elapsed.TotalSeconds:F0} s: {stats.Inputs:N0} inputs ({stats.Bytes / 1e6:F1} MB), {stats.Refused:N0} refused with RedactionException, " +
            $"{stats.Redacted:N0} redacted ({stats.Masked:N0} masked values), slowest {stats.Slowest.TotalMilliseconds:F1} ms for {stats.SlowestBytes:N0} bytes; no finding"));
        return 0;
    }

    /// <summary>Redacts a saved input a few times and prints how long each took and whether it passes the checks.</summary>
    private static int Replay(byte[] input)
    {
        for (var run = 0; run < 5; run++)
        {
            var stats = new Stats();
            using var watchdog = new Watchdog(Path.GetTempPath(), TimeSpan.FromMinutes(1));
            var watch = Stopwatch.StartNew();
            Check(input, stats, watchdog, TimeSpan.FromMinutes(1));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{input.Length:N0} bytes: {watch.Elapsed.TotalMilliseconds:F2} ms, {(stats.Refused > 0 ? "refused" : "redacted")}"));
        }

        return 0;
    }

    private static void Check(byte[] input, Stats stats, Watchdog watchdog, TimeSpan slow)
    {
        stats.Inputs++;
        stats.Bytes += input.Length;
        RedactedPayload output;
        var watch = Stopwatch.StartNew();
        watchdog.Enter(input);
        try
        {
            output = Redactor.Default.RedactToArray(input, PayloadKind.Snapshot, TelemetryLevel.Lightweight);
        }
        catch (RedactionException)
        {
            stats.Refused++;
            return;
        }
        finally
        {
            watchdog.Leave();
            if (watch.Elapsed > stats.Slowest)
            {
                stats.Slowest = watch.Elapsed;
                stats.SlowestBytes = input.Length;
                stats.SlowestInput = input;
            }
        }

        if (watch.Elapsed > slow)
        {
            throw new InvalidOperationException($"slow: {watch.Elapsed.TotalSeconds:F1} s for {input.Length} bytes");
        }

        stats.Redacted++;
        stats.Masked += output.Result.MaskedValues;
        using var document = JsonDocument.Parse(output.Bytes);
        foreach (var text in Strings(document.RootElement))
        {
            if (EmailPattern().Match(text) is { Success: true } email)
            {
                throw new InvalidOperationException($"e-mail address '{email.Value}' left in \"{text}\"");
            }

            if (Ipv4Pattern().Match(text) is { Success: true } ip)
            {
                throw new InvalidOperationException($"IPv4 address '{ip.Value}' left in \"{text}\"");
            }

            if (FullIpv6Pattern().Match(text) is { Success: true } ipv6)
            {
                throw new InvalidOperationException($"IPv6 address '{ipv6.Value}' left in \"{text}\"");
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.String => [element.GetString()!],
        _ => [],
    };

    /// <summary>Planted snapshots (half of the inputs), mutated ones, and noise.</summary>
    private static Gen<byte[]> Input() => Gen.Frequency(
        (5, Planted()),
        (4, Gen.Select(Planted(), Mutation().Array[1, 8], Mutate)),
        (1, Gen.Byte.Array[0, 512]),
        (1, Gen.Select(s_token, Gen.Int[0, 40_000], (token, count) => Encoding.UTF8.GetBytes($"{{\"provisioner_jobs\":[{{\"error\":\"{string.Concat(Enumerable.Repeat(Escape(token), count))}\"}}]}}"))));

    private static string Escape(string text) => JsonSerializer.Serialize(text)[1..^1];

    private static Gen<byte[]> Planted() => Gen.Select(Gen.Int[1, 1_000_000], Text().Array[8], (seed, texts) =>
    {
        var installation = new SimulatedInstallation(new SimulationOptions
        {
            Seed = seed,
            Users = 1 + (seed % 3),
            Workspaces = seed % 4,
            Templates = 1,
            Groups = seed % 2,
            Organizations = 1,
            FailedJobs = 1,
            Licenses = 1,
        });
        var root = JsonNode.Parse(TelemetryJson.Serialize(installation.CreateSnapshot()))!;
        var next = 0;
        Plant(root, texts, ref next);
        return JsonSerializer.SerializeToUtf8Bytes(root);
    });

    private static void Plant(JsonNode node, string[] texts, ref int next)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        obj[name] = texts[next++ % texts.Length];
                    }
                    else if (child is not null)
                    {
                        Plant(child, texts, ref next);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null && child is not JsonValue)
                    {
                        Plant(child, texts, ref next);
                    }
                }

                break;
        }
    }

    /// <summary>Free text with addresses in every encoding the masker knows, and the characters that confuse it.</summary>
    private static Gen<string> Text() => Gen.OneOf<string>(
        s_token,
        Gen.String[Gen.Char["ab1:.@-%\\\"[]/ef09x "], 0, 80],
        Gen.Select(Address(), Gen.Int[0, 3], Encode))
        .Array[1, 6].Select(string.Concat);

    private static Gen<string> Address() => Gen.OneOf(
        Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+-/=?^_`{|}~"], 1, 12], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 10], (local, domain) => $"a{local}@x{domain}.com"),
        Gen.Select(Gen.Int[0, 255].Array[4], octets => string.Join('.', octets)),
        Gen.Select(Gen.Int[0, 255].Array[4], Gen.OneOf("ip-", "ec2-", ""), (octets, prefix) => prefix + string.Join('-', octets) + ".example.net"),
        Gen.Select(Gen.UShort.Array[8], groups => new System.Net.IPAddress(groups.SelectMany(g => new[] { (byte)(g >> 8), (byte)g }).ToArray()).ToString()),
        Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 8], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 8], (user, password) => $"https://{user}:{password}@git.example.com/x"));

    private static string Encode(string address, int how) => how switch
    {
        0 => address,
        1 => Uri.EscapeDataString(address),
        2 => string.Concat(address.Select(c => c is '@' or ':' or '.' ? $"\\u{(int)c:x4}" : c.ToString())),
        _ => address.ToUpperInvariant(),
    };

    private readonly record struct Edit(double Where, int Kind, int Token, byte Value);

    private static Gen<Edit> Mutation() => Gen.Select(Gen.Double[0, 1], Gen.Int[0, 3], Gen.Int[0, s_tokens.Length - 1], Gen.Byte, (w, k, t, v) => new Edit(w, k, t, v));

    private static byte[] Mutate(byte[] json, Edit[] edits)
    {
        var bytes = json.ToList();
        foreach (var edit in edits)
        {
            var at = Math.Min(bytes.Count, (int)(edit.Where * bytes.Count));
            switch (edit.Kind)
            {
                case 0:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(s_tokens[edit.Token]));
                    break;
                case 1 when at < bytes.Count:
                    bytes[at] = edit.Value;
                    break;
                case 2 when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static string Preview(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        return text.Length <= 2000 ? text : text[..2000] + "...";
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    // The same patterns as the redactor's property tests: what must never leave at level 1.
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![0-9])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![0-9])")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?i)(?<![0-9a-f:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![0-9a-f:])")]
    private static partial Regex FullIpv6Pattern();

    private sealed class Stats
    {
        public long Inputs { get; set; }

        public long Bytes { get; set; }

        public long Refused { get; set; }

        public long Redacted { get; set; }

        public long Masked { get; set; }

        public TimeSpan Slowest { get; set; }

        public int SlowestBytes { get; set; }

        public byte[]? SlowestInput { get; set; }
    }

    /// <summary>Saves the input and stops the process when one redaction never returns.</summary>
    private sealed class Watchdog : IDisposable
    {
        private readonly string _findings;
        private readonly TimeSpan _limit;
        private readonly Timer _timer;
        private byte[]? _current;
        private long _started;

        public Watchdog(string findings, TimeSpan limit)
        {
            _findings = findings;
            _limit = limit;
            _timer = new Timer(_ => Bark(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public void Enter(byte[] input)
        {
            Volatile.Write(ref _current, input);
            Volatile.Write(ref _started, Stopwatch.GetTimestamp());
        }

        public void Leave() => Volatile.Write(ref _current, null);

        public void Dispose() => _timer.Dispose();

        private void Bark()
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && Stopwatch.GetElapsedTime(Volatile.Read(ref _started)) > _limit)
            {
                var file = Path.Combine(_findings, $"hang-{DateTime.UtcNow:yyyyMMddHHmmss}.bin");
                File.WriteAllBytes(file, current);
                Console.WriteLine($"FINDING: hang, one redaction ran over {_limit.TotalSeconds:F0} s; input saved to {file}");
                Environment.Exit(3);
            }
        }
    }
}
