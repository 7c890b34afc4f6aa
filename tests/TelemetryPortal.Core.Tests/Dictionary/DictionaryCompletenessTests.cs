using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Dictionary;

/// <summary>
/// The dictionary against <c>Reference/coder-schema.tsv</c>: every JSON path Coder's telemetry can
/// send, copied from the shared reference. Each failure names the paths at fault.
/// </summary>
public class DictionaryCompletenessTests
{
    private static readonly IReadOnlyList<ReferenceField> s_reference = ReferenceField.ReadAll(Path.Combine(AppContext.BaseDirectory, "Reference", "coder-schema.tsv"));

    private static readonly IReadOnlyList<DictionaryEntry> s_entries = DataDictionary.Default.Entries;

    [Fact]
    public void Default_EveryReferencePath_HasExactlyOneEntryWithItsShape()
    {
        var missing = s_reference
            .Where(f => s_entries.Count(e => e.Path == f.Path) != 1 || s_entries.Single(e => e.Path == f.Path).Shape != f.Shape)
            .Select(f => $"{f.Path} ({f.Shape})")
            .ToList();

        Assert.True(missing.Count == 0, $"{missing.Count} reference paths have no entry of their shape:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void Default_EveryEntry_NamesAReferencePath()
    {
        var reference = s_reference.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);

        var invented = s_entries.Where(e => !reference.Contains(e.Path)).Select(e => e.Path).ToList();

        Assert.True(invented.Count == 0, $"{invented.Count} entries name no path of the reference:\n{string.Join('\n', invented)}");
    }

    [Fact]
    public void Default_EveryLevel2Entry_HasAReason()
    {
        var unexplained = s_entries
            .Where(e => e.MinimumLevel == TelemetryLevel.Full && string.IsNullOrWhiteSpace(e.Reason))
            .Select(e => e.Path)
            .ToList();

        Assert.True(unexplained.Count == 0, $"{unexplained.Count} level-2 entries do not say what could tie them to a person or organisation:\n{string.Join('\n', unexplained)}");
    }

    [Fact]
    public void Default_EveryEntryWithAnIdentifyingHint_HasAReason()
    {
        var hinted = s_reference.Where(f => f.IdentifyingHint.Length > 0).ToDictionary(f => f.Path, f => f.IdentifyingHint, StringComparer.Ordinal);

        var unexplained = s_entries
            .Where(e => hinted.ContainsKey(e.Path) && string.IsNullOrWhiteSpace(e.Reason))
            .Select(e => $"{e.Path} (hint: {hinted[e.Path]})")
            .ToList();

        Assert.True(unexplained.Count == 0, $"{unexplained.Count} entries the reference marks as possibly identifying give no reason for their level:\n{string.Join('\n', unexplained)}");
    }

    [Fact]
    public void Default_GoMaps_AreMapEntriesAndNothingElseIs()
    {
        var goMaps = s_reference.Where(f => f.JsonType.StartsWith("map[", StringComparison.Ordinal)).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);

        var wrong = s_entries
            .Where(e => goMaps.Contains(e.Path) != (e.Shape == FieldShape.Map))
            .Select(e => $"{e.Path} ({e.Shape})")
            .ToList();

        Assert.NotEmpty(goMaps);
        Assert.True(wrong.Count == 0, $"{wrong.Count} entries disagree with the reference on being a map (a Go map is a Map, nothing else is):\n{string.Join('\n', wrong)}");
    }

    [Fact]
    public void Reference_EveryRow_HasAKnownShape()
    {
        Assert.NotEmpty(s_reference);
        Assert.All(s_reference, f => Assert.True(Enum.IsDefined(f.Shape), f.Path));
    }

    /// <summary>One row of the reference: path, go_type, json_type, omitempty, shape, identifying_hint.</summary>
    private sealed record ReferenceField(string Path, string JsonType, FieldShape Shape, string IdentifyingHint)
    {
        public static List<ReferenceField> ReadAll(string file)
        {
            var rows = File.ReadLines(file)
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .Skip(1) // the header
                .Select(Parse)
                .ToList();
            return rows.Count > 0 ? rows : throw new InvalidDataException($"{file} lists no paths.");
        }

        private static ReferenceField Parse(string line)
        {
            var columns = line.Split('\t');
            if (columns.Length != 6)
            {
                throw new InvalidDataException($"Expected 6 tab-separated columns, got {columns.Length}: {line}");
            }

            return new ReferenceField(columns[0], columns[2], Enum.Parse<FieldShape>(columns[4]), columns[5]);
        }
    }
}
