using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Dictionary;

/// <summary>
/// The data dictionary: every field of the telemetry payloads with its path, meaning, category,
/// purpose and the lowest level at which it is sent. The single source of truth for the redactor,
/// the preview and the "What we collect" page.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "\"Data dictionary\" is the domain term.")]
public sealed class DataDictionary
{
    private readonly FrozenDictionary<string, DictionaryEntry> _byPath;
    private readonly FrozenDictionary<string, DictionaryEntry[]> _children;

    /// <summary>Builds a dictionary, checking that the entries form a consistent tree.</summary>
    /// <exception cref="ArgumentException">A path is malformed or repeated, or a field's parent is missing or is not an object.</exception>
    public DataDictionary(IEnumerable<DictionaryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];

        var byPath = new Dictionary<string, DictionaryEntry>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            Validate(entry);
            if (!byPath.TryAdd(entry.Path, entry))
            {
                throw new ArgumentException($"The dictionary lists '{entry.Path}' twice.", nameof(entries));
            }
        }

        var containers = Entries
            .Where(e => e.Shape is FieldShape.Record or FieldShape.RecordList or FieldShape.Map)
            .ToDictionary(e => e.ChildParentPath, StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            var parent = entry.ParentPath;
            if (parent is not ("snapshot" or "deployment") && !containers.ContainsKey(parent))
            {
                throw new ArgumentException($"The parent '{parent}' of '{entry.Path}' is not an object or list of objects in the dictionary.", nameof(entries));
            }
        }

        _byPath = byPath.ToFrozenDictionary(StringComparer.Ordinal);
        _children = Entries
            .GroupBy(e => e.ParentPath, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The dictionary of the payloads this portal knows, shaped like Coder's.</summary>
    public static DataDictionary Default { get; } = new(DataDictionaryEntries.All);

    /// <summary>All entries, in reading order (parents before their fields).</summary>
    public IReadOnlyList<DictionaryEntry> Entries { get; }

    /// <summary>The entries of one payload.</summary>
    public IEnumerable<DictionaryEntry> For(PayloadKind kind) => Entries.Where(e => e.Kind == kind);

    /// <summary>
    /// The entry at <paramref name="path"/>, or <see langword="null"/>. The values of a map
    /// (<c>path{}</c>) are described by the map's own entry.
    /// </summary>
    public DictionaryEntry? Find(string path) =>
        _byPath.GetValueOrDefault(path)
        ?? (path.EndsWith("{}", StringComparison.Ordinal) && _byPath.GetValueOrDefault(path[..^2]) is { Shape: FieldShape.Map } map ? map : null);

    /// <summary>
    /// The dictionary path of the member <paramref name="name"/> of the object at <paramref name="parentPath"/>:
    /// <c>parent.name</c>, or <c>parent{}</c> when the parent is a map (whose keys vary).
    /// </summary>
    public string ChildPath(string parentPath, string name)
    {
        ArgumentNullException.ThrowIfNull(parentPath);
        return _byPath.TryGetValue(parentPath, out var parent) && parent.Shape == FieldShape.Map
            ? parentPath + "{}"
            : $"{parentPath}.{name}";
    }

    /// <summary>
    /// The fields directly inside <paramref name="parentPath"/>: a payload name (<c>snapshot</c>),
    /// an object's path, or a list's path followed by <c>[]</c>.
    /// </summary>
    public IReadOnlyList<DictionaryEntry> Children(string parentPath) =>
        _children.TryGetValue(parentPath, out var children) ? children : [];

    /// <summary>The entries not sent at <paramref name="level"/> (everything at level 0).</summary>
    public IEnumerable<DictionaryEntry> WithheldAt(TelemetryLevel level) => Entries.Where(e => !e.IsSentAt(level));

    private static void Validate(DictionaryEntry entry)
    {
        var path = entry.Path ?? "";
        if (!(path.StartsWith("snapshot.", StringComparison.Ordinal) || path.StartsWith("deployment.", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The path '{path}' must start with 'snapshot.' or 'deployment.'.", nameof(entry));
        }

        // Go writes the JSON name of a field: snake_case by Coder's tags, or the Go field name itself
        // where a struct has no tags (e.g. config_ssh.DeploymentName, derp_map.Regions).
        foreach (var segment in path.Split('.'))
        {
            var name = segment.EndsWith("[]", StringComparison.Ordinal) || segment.EndsWith("{}", StringComparison.Ordinal) ? segment[..^2] : segment;
            if (name.Length == 0 || name.Any(c => c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')))
            {
                throw new ArgumentException($"The path '{path}' has a segment '{segment}' that is not a JSON field name (letters, digits and '_', then '[]' for a list of objects or '{{}}' for a map).", nameof(entry));
            }
        }

        if (path.EndsWith("[]", StringComparison.Ordinal) || path.EndsWith("{}", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The path '{path}' must name a field, not a list element or map value.", nameof(entry));
        }

        if (entry.MinimumLevel is not (TelemetryLevel.Lightweight or TelemetryLevel.Full))
        {
            throw new ArgumentException($"'{path}' must be sent from level 1 or from level 2, not {entry.MinimumLevel}.", nameof(entry));
        }

        if (string.IsNullOrWhiteSpace(entry.Description) || string.IsNullOrWhiteSpace(entry.Purpose))
        {
            throw new ArgumentException($"'{path}' needs a description and a purpose.", nameof(entry));
        }

        if (entry.MinimumLevel == TelemetryLevel.Full && string.IsNullOrWhiteSpace(entry.Reason))
        {
            throw new ArgumentException($"'{path}' is sent only at level 2 and needs the reason: what in it could tie the data to a person or an organisation.", nameof(entry));
        }
    }
}
