using System.Text.Json;

namespace TelemetryPortal.Core.Diff;

/// <summary>How one place differs between two payloads.</summary>
public enum JsonChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference: where, what, and the values before and after (compact JSON, shortened).</summary>
/// <param name="Path">E.g. <c>users[id=5f0c…].status</c>: records in lists are matched by their <c>id</c>, otherwise by position.</param>
public sealed record JsonChange(string Path, JsonChangeKind Kind, string? Before, string? After);

/// <summary>The differences between two payloads, at most <see cref="JsonDiff.MaxChanges"/> of them.</summary>
public sealed record JsonDiffResult(IReadOnlyList<JsonChange> Changes, bool Truncated)
{
    public int Added => Changes.Count(c => c.Kind == JsonChangeKind.Added);

    public int Removed => Changes.Count(c => c.Kind == JsonChangeKind.Removed);

    public int Changed => Changes.Count(c => c.Kind == JsonChangeKind.Changed);
}

/// <summary>A structural diff of two JSON documents, as a reader would want it for two telemetry sends.</summary>
public static class JsonDiff
{
    public const int MaxChanges = 5000;
    private const int MaxValueLength = 200;

    /// <exception cref="JsonException">Either document is not valid JSON.</exception>
    public static JsonDiffResult Compare(ReadOnlyMemory<byte> before, ReadOnlyMemory<byte> after)
    {
        using var a = JsonDocument.Parse(before);
        using var b = JsonDocument.Parse(after);
        var changes = new List<JsonChange>();
        var truncated = !Walk(a.RootElement, b.RootElement, "", changes);
        return new JsonDiffResult(changes, truncated);
    }

    // Returns false once the change list is full.
    private static bool Walk(JsonElement a, JsonElement b, string path, List<JsonChange> changes)
    {
        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var property in a.EnumerateObject())
            {
                var childPath = Join(path, property.Name);
                if (right.Remove(property.Name, out var other))
                {
                    if (!Walk(property.Value, other, childPath, changes))
                    {
                        return false;
                    }
                }
                else if (!Add(changes, new JsonChange(childPath, JsonChangeKind.Removed, Text(property.Value), null)))
                {
                    return false;
                }
            }

            foreach (var (name, value) in right)
            {
                if (!Add(changes, new JsonChange(Join(path, name), JsonChangeKind.Added, null, Text(value))))
                {
                    return false;
                }
            }

            return true;
        }

        if (a.ValueKind == JsonValueKind.Array && b.ValueKind == JsonValueKind.Array)
        {
            return WalkArray(a, b, path, changes);
        }

        return JsonElement.DeepEquals(a, b) || Add(changes, new JsonChange(path.Length == 0 ? "(root)" : path, JsonChangeKind.Changed, Text(a), Text(b)));
    }

    private static bool WalkArray(JsonElement a, JsonElement b, string path, List<JsonChange> changes)
    {
        var left = a.EnumerateArray().ToList();
        var right = b.EnumerateArray().ToList();
        if (KeyedById(left) is { } leftById && KeyedById(right) is { } rightById)
        {
            foreach (var (id, item) in leftById)
            {
                var itemPath = $"{path}[id={id}]";
                if (rightById.Remove(id, out var other))
                {
                    if (!Walk(item, other, itemPath, changes))
                    {
                        return false;
                    }
                }
                else if (!Add(changes, new JsonChange(itemPath, JsonChangeKind.Removed, Text(item), null)))
                {
                    return false;
                }
            }

            return rightById.All(pair => Add(changes, new JsonChange($"{path}[id={pair.Key}]", JsonChangeKind.Added, null, Text(pair.Value))));
        }

        for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
        {
            var itemPath = $"{path}[{i}]";
            var ok = i >= right.Count ? Add(changes, new JsonChange(itemPath, JsonChangeKind.Removed, Text(left[i]), null))
                : i >= left.Count ? Add(changes, new JsonChange(itemPath, JsonChangeKind.Added, null, Text(right[i])))
                : Walk(left[i], right[i], itemPath, changes);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The records by their <c>id</c>, when every item is an object with a distinct string or number id.</summary>
    private static Dictionary<string, JsonElement>? KeyedById(List<JsonElement> items)
    {
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("id", out var id)
                || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)
                || !byId.TryAdd(id.ToString(), item))
            {
                return null;
            }
        }

        return byId;
    }

    private static bool Add(List<JsonChange> changes, JsonChange change)
    {
        if (changes.Count >= MaxChanges)
        {
            return false;
        }

        changes.Add(change);
        return true;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Text(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= MaxValueLength ? raw : string.Concat(raw.AsSpan(0, MaxValueLength), "…");
    }
}
