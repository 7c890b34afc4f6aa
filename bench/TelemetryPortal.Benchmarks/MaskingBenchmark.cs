using System.Diagnostics;
using System.Globalization;
using System.Text;
using TelemetryPortal.Core.Redaction;

namespace TelemetryPortal.Benchmarks;

/// <summary>
/// Level 1's masker on adversarial strings (runs of the characters that start a match) against benign
/// text of the same length, in one run: the masker must stay linear, so the ratio should stay small.
/// </summary>
internal static class MaskingBenchmark
{
    public static int Run(string[] args)
    {
        var bytes = Option(args, "--bytes", 1 << 20);
        var reps = Option(args, "--reps", 7);
        var only = OptionText(args, "--case");
        Console.WriteLine($"masking: {bytes:N0} bytes per string, {reps} repetitions (median), runtime {Environment.Version}, processors {Environment.ProcessorCount}");

        var benign = new[] { ("benign: prose", Prose(bytes)), ("benign: log lines", LogLines(bytes)) };
        var adversarial = new (string Name, string Text)[]
        {
            ("colons ::::", Repeat(":", bytes)),
            ("hex letters and :: (abcdef::)", Repeat("abcdef::", bytes)),
            ("a:a:a:a", Repeat("a:", bytes)),
            ("7 groups, never valid (1:2:3:4:5:6:7 )", Repeat("1:2:3:4:5:6:7 ", bytes)),
            ("dots ....", Repeat(".", bytes)),
            ("digits 1111", Repeat("1", bytes)),
            ("1.1.1.1.1.1", Repeat("1.", bytes)),
            ("1-1-1-1-1", Repeat("1-", bytes)),
            ("at signs @@@@", Repeat("@", bytes)),
            ("a@a@a@a", Repeat("a@", bytes)),
            ("%40%40%40", Repeat("%40", bytes)),
            ("a%40a%40", Repeat("a%40", bytes)),
            ("\\u0040\\u0040", Repeat("\\u0040", bytes)),
            ("%25%25%25", Repeat("%25", bytes)),
            ("\"@\"@\"@ quoted", Repeat("\"@", bytes)),
            ("://a@://a@ authorities", Repeat("://a@", bytes)),
            ("local part without domain (64 x a, @)", Repeat(new string('a', 64) + "@", bytes)),
            ("mixture", Repeat("a:1.2-3@%40::f.", bytes)),
        };

        var cases = benign.Concat(adversarial).Where(c => only is null || c.Item1.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        var doubled = cases.Select(c => c.Item2 + c.Item2).ToList();
        var times = cases.Select(_ => new List<double>()).ToList();
        var doubledTimes = cases.Select(_ => new List<double>()).ToList();
        foreach (var (_, text) in cases)
        {
            PersonalDataMasker.Mask(text);
        }

        // Round robin, so that a busy moment on the machine falls on every case alike.
        for (var rep = 0; rep < reps; rep++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                times[i].Add(Time(cases[i].Item2));
                doubledTimes[i].Add(Time(doubled[i]));
            }
        }

        var results = cases.Select((c, i) => (Name: c.Item1, Seconds: Median(times[i]), Growth: Median(doubledTimes[i]) / Median(times[i]))).ToList();
        var baseline = results.Where(r => benign.Any(b => b.Item1 == r.Name)).Select(r => r.Seconds).DefaultIfEmpty(double.NaN).Max();
        Console.WriteLine();
        Console.WriteLine("| input (same length) | median (ms) | MB/s | ÷ slower benign | 2 MB ÷ 1 MB (linear: 2) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var worst = 0.0;
        var worstGrowth = 0.0;
        foreach (var (name, seconds, growth) in results)
        {
            var ratio = seconds / baseline;
            worstGrowth = Math.Max(worstGrowth, growth);
            if (!benign.Any(b => b.Item1 == name))
            {
                worst = Math.Max(worst, ratio);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {seconds * 1e3:F2} | {bytes / 1e6 / seconds:F0} | {ratio:F2}x | {growth:F2} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst adversarial / benign: {worst:F2}x (target <= 2x) {(worst <= 2 ? "MET" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst growth from 1 MB to 2 MB: {worstGrowth:F2}x (linear: 2, quadratic: 4)"));
        ShortStrings(reps);
        return 0;
    }

    /// <summary>A payload holds a million short strings: the cost of one call matters as much as the throughput.</summary>
    private static void ShortStrings(int reps)
    {
        string[] values =
        [
            "user-admin", "template-admin", "coder-agent", "v2.25.0", "main.tf:42: unexpected token", "2024-05-01T12:34:56Z",
            "0f8fad5b-d9cb-469f-a165-70867728950e", "registry.terraform.io/coder/coder", "dial tcp 10.0.12.7:5432: refused",
            "alice.smith@globex.example",
        ];
        const int calls = 200_000;
        Console.WriteLine();
        Console.WriteLine("| short string | ns per Mask call |");
        Console.WriteLine("|---|---:|");
        foreach (var value in values)
        {
            var times = new List<double>();
            for (var rep = 0; rep < reps; rep++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    GC.KeepAlive(PersonalDataMasker.Mask(value));
                }

                times.Add(watch.Elapsed.TotalSeconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {value} | {Median(times) / calls * 1e9:F0} |"));
        }
    }

    private static double Time(string text)
    {
        var watch = Stopwatch.StartNew();
        GC.KeepAlive(PersonalDataMasker.Mask(text));
        return watch.Elapsed.TotalSeconds;
    }

    private static string Repeat(string unit, int bytes)
    {
        var builder = new StringBuilder(bytes + unit.Length);
        while (builder.Length < bytes)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, bytes);
    }

    /// <summary>English prose: few dots, no addresses.</summary>
    private static string Prose(int bytes) => Repeat(
        "The provisioner could not finish the build because the template refers to a module that no longer exists. " +
        "Check the template, then start the workspace again; if it still fails, ask an administrator for help. ",
        bytes);

    /// <summary>Coder-like error lines full of near misses: versions, times, UUIDs, paths, code, no addresses.</summary>
    private static string LogLines(int bytes) => Repeat(
        "2024-05-01T12:34:56.789Z error: terraform v1.9.8 plan failed (exit 1) in module \"coder-agent\" at main.tf:42: " +
        "provider registry.terraform.io/coder/coder v2.25.0 for workspace 0f8fad5b-d9cb-469f-a165-70867728950e; " +
        "took 12:34:56, retry 3/5, std::vector<int> out of range, 50% done, see https://coder.com/docs/admin/templates.\n",
        bytes);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
