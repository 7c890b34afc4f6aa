using System.Security.Cryptography;
using System.Text;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Consent;

/// <summary>Fields of one category, as a policy lists them.</summary>
/// <param name="Category">The category's label, e.g. "IP address".</param>
/// <param name="Fields">The fields' descriptions, each with its path.</param>
public sealed record PolicyGroup(string Category, IReadOnlyList<PolicyField> Fields);

/// <summary>One field as a policy lists it.</summary>
public sealed record PolicyField(string Path, string Description);

/// <summary>A kept policy text that does not match its version, or a version a decision names that is not kept.</summary>
/// <param name="Version">The version (SHA-256 of the text as it was shown).</param>
/// <param name="ActualHash">SHA-256 of the text kept now, or <see langword="null"/> when none is kept.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
public sealed record PolicyTextMismatch(string Version, string? ActualHash, string Message);

/// <summary>
/// What one level sends and what it keeps back, in plain words generated from the data
/// dictionary, and the version of that text: SHA-256 (lower-case hex) of its UTF-8 bytes. A level
/// decision stores the version of the policy the admin was shown.
/// </summary>
/// <param name="Level">The level the policy describes.</param>
/// <param name="Summary">What the level sends, in one sentence.</param>
/// <param name="Sent">The fields that leave the installation, by category.</param>
/// <param name="KeptBack">The fields that stay, by category.</param>
/// <param name="Purposes">Why the vendor wants what is sent, distinct, in dictionary order.</param>
/// <param name="Text">The whole policy as plain text; this is what <paramref name="Version"/> is taken over.</param>
/// <param name="Version">SHA-256 (hex) of <paramref name="Text"/> in UTF-8.</param>
public sealed record ConsentPolicy(
    TelemetryLevel Level,
    string Summary,
    IReadOnlyList<PolicyGroup> Sent,
    IReadOnlyList<PolicyGroup> KeptBack,
    IReadOnlyList<string> Purposes,
    string Text,
    string Version)
{
    /// <summary>How many fields are sent.</summary>
    public int SentCount => Sent.Sum(g => g.Fields.Count);

    /// <summary>How many fields are kept back.</summary>
    public int KeptBackCount => KeptBack.Sum(g => g.Fields.Count);

    /// <summary>The policy of <paramref name="level"/> generated from <paramref name="dictionary"/>.</summary>
    public static ConsentPolicy For(TelemetryLevel level, DataDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        // Sections only group fields; the fields themselves say what is sent.
        var fields = dictionary.Entries.Where(e => e.Category != FieldCategory.Section).ToList();
        var sent = Group(fields.Where(e => e.IsSentAt(level)));
        var keptBack = Group(fields.Where(e => !e.IsSentAt(level)));
        var purposes = fields.Where(e => e.IsSentAt(level)).Select(e => e.Purpose).Distinct(StringComparer.Ordinal).ToList();
        var summary = TelemetryLevels.Describe(level);
        var text = Render(level, summary, sent, keptBack, purposes);
        return new ConsentPolicy(level, summary, sent, keptBack, purposes, text, VersionOf(text));
    }

    /// <summary>The policies of all three levels, from most to least data sent.</summary>
    public static IReadOnlyList<ConsentPolicy> All(DataDictionary dictionary) =>
        [.. TelemetryLevels.All.Select(level => For(level, dictionary))];

    /// <summary>SHA-256 (lower-case hex) of <paramref name="text"/> in UTF-8.</summary>
    public static string VersionOf(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// What is wrong with the text kept under <paramref name="version"/>: it is missing, or its SHA-256 is not
    /// the version (it was changed after it was recorded); <see langword="null"/> when it matches.
    /// </summary>
    public static PolicyTextMismatch? CheckKeptText(string version, string? text)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (text is null)
        {
            return new PolicyTextMismatch(version, null,
                $"The policy text of version {version} is named by a decision but is no longer kept.");
        }

        var actual = VersionOf(text);
        return string.Equals(actual, version, StringComparison.Ordinal)
            ? null
            : new PolicyTextMismatch(version, actual,
                $"The policy text kept under version {version} was changed after it was recorded: its SHA-256 is now {actual}.");
    }

    private static List<PolicyGroup> Group(IEnumerable<DictionaryEntry> entries) =>
        [.. entries
            .GroupBy(e => e.Category)
            .OrderBy(g => g.Key)
            .Select(g => new PolicyGroup(
                FieldCategories.Label(g.Key),
                [.. g.Select(e => new PolicyField(e.Path, e.Description))]))];

    private static string Render(TelemetryLevel level, string summary, List<PolicyGroup> sent, List<PolicyGroup> keptBack, List<string> purposes)
    {
        var text = new StringBuilder();
        text.Append("Telemetry level ").Append(TelemetryLevels.Label(level)).Append('\n');
        text.Append(summary).Append('\n');
        if (level == TelemetryLevel.Off)
        {
            text.Append("Level 0 takes effect only with a valid zero-telemetry license for this deployment; without one, the portal sends at level 1.\n");
        }

        text.Append('\n');
        Section(text, sent.Count == 0 ? "What is sent: nothing." : "What is sent:", sent);
        Section(text, keptBack.Count == 0 ? "What is kept back: nothing; every field is sent." : "What is kept back (never leaves this installation):", keptBack);
        if (level == TelemetryLevel.Lightweight)
        {
            text.Append("E-mail addresses and IP addresses that appear inside the text that is sent are masked.\n\n");
        }

        if (purposes.Count > 0)
        {
            text.Append("Why the vendor wants what is sent:\n");
            foreach (var purpose in purposes)
            {
                text.Append("- ").Append(purpose).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void Section(StringBuilder text, string heading, List<PolicyGroup> groups)
    {
        text.Append(heading).Append('\n');
        foreach (var group in groups)
        {
            text.Append("* ").Append(group.Category).Append(" (").Append(group.Fields.Count).Append("):\n");
            foreach (var field in group.Fields)
            {
                text.Append("  - ").Append(field.Description).Append(" [").Append(field.Path).Append("]\n");
            }
        }

        text.Append('\n');
    }
}
