using System.Text.Json;
using Microsoft.AspNetCore.Components;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// One node of a pretty-printed JSON payload: folding (children are rendered only when opened),
/// syntax colouring, and, when <see cref="ExplainFor"/> is set, the fate of the field at that level
/// from the data dictionary (the redactor's own rules): removed, unknown (fail-closed) or masked.
/// </summary>
public partial class JsonTreeNode
{
    private bool _open;

    [Parameter, EditorRequired]
    public required JsonElement Value { get; set; }

    /// <summary>The property name; <see langword="null"/> for the root and array items.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The dictionary path of this node, e.g. <c>snapshot.users[]</c> for a user record.</summary>
    [Parameter, EditorRequired]
    public required string DictionaryPath { get; set; }

    /// <summary>Highlight what this level removes or masks; <see langword="null"/> for no highlighting.</summary>
    [Parameter]
    public TelemetryLevel? ExplainFor { get; set; }

    /// <summary>Open every container at first.</summary>
    [Parameter]
    public bool Expanded { get; set; }

    [Parameter]
    public bool ArrayItem { get; set; }

    /// <summary>An ancestor is removed whole, so this node needs no mark of its own.</summary>
    [Parameter]
    public bool ParentRemoved { get; set; }

    /// <summary>The root starts open.</summary>
    [Parameter]
    public bool Root { get; set; }

    /// <summary>Open and closed nodes shared with the other compared views; <see langword="null"/> for a tree of its own.</summary>
    [Parameter]
    public JsonExpansion? Expansion { get; set; }

    /// <summary>Where this node is in the payload, as a JSON Pointer ("" for the root).</summary>
    [Parameter]
    public string NodePath { get; set; } = "";

    private FieldFate? Fate { get; set; }

    private bool IsOpen => Expansion?.IsOpen(NodePath, Root || Expanded) ?? _open;

    private bool IsRemoved => ParentRemoved || Fate?.Kind is FieldFateKind.Removed or FieldFateKind.Unknown;

    private string FateClass => Fate?.Kind switch
    {
        FieldFateKind.Removed or FieldFateKind.Unknown => "json-removed",
        FieldFateKind.Masked => "json-masked",
        _ => "",
    };

    protected override void OnInitialized() => _open = Root || Expanded;

    protected override void OnParametersSet()
    {
        // Array items and the root are not fields; a removed parent already says it all.
        Fate = ExplainFor is { } level && Name is not null && !ParentRemoved
            ? FieldFate.At(DataDictionary.Default, DictionaryPath, level, Value.ValueKind == JsonValueKind.String ? Value.GetString() : null)
            : null;
        if (ExplainFor is { } itemLevel && ArrayItem && !ParentRemoved && Value.ValueKind == JsonValueKind.String)
        {
            // Strings in a list of values are masked like any other kept text.
            var owner = FieldFate.At(DataDictionary.Default, DictionaryPath, itemLevel, Value.GetString());
            Fate = owner.Kind == FieldFateKind.Masked ? owner : null;
        }
    }

    private void Toggle()
    {
        if (Expansion is null)
        {
            _open = !_open;
        }
        else
        {
            Expansion.Set(NodePath, !IsOpen);
        }
    }

    // A removal already names the category; a masked field says which kind of field it is.
    private static string CategorySuffix(FieldFate fate) =>
        fate is { Kind: FieldFateKind.Masked, Entry: { } entry } ? $" ({FieldCategories.Label(entry.Category)})" : "";

    private static string ValueClass(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "json-string",
        JsonValueKind.Number => "json-number",
        JsonValueKind.True or JsonValueKind.False => "json-bool",
        _ => "json-null",
    };

    /// <summary>How many fields inside <paramref name="value"/> the level removes or masks (a removed container counts once).</summary>
    internal static int CountChanges(JsonElement value, string path, TelemetryLevel level)
    {
        var count = 0;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                var childPath = DataDictionary.Default.ChildPath(path, property.Name);
                var fate = FieldFate.At(DataDictionary.Default, childPath, level,
                    property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null);
                count += fate.IsChanged ? 1
                    : property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? CountChanges(property.Value, childPath, level)
                    : 0;
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    count += CountChanges(item, $"{path}[]", level);
                }
                else if (item.ValueKind == JsonValueKind.String && FieldFate.At(DataDictionary.Default, path, level, item.GetString()).Kind == FieldFateKind.Masked)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
