using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Dictionary;

/// <summary>The JSON shape of a field's value.</summary>
public enum FieldShape
{
    /// <summary>A string, number, boolean or null.</summary>
    Value,

    /// <summary>An array of strings, numbers or booleans.</summary>
    ValueList,

    /// <summary>An object whose fields have their own entries (<c>path.field</c>).</summary>
    Record,

    /// <summary>An array of objects whose fields have their own entries (<c>path[].field</c>).</summary>
    RecordList,

    /// <summary>
    /// An object whose keys vary (a Go map). Its values are values or lists of values, or, when the
    /// dictionary has entries below <c>path{}</c>, objects whose fields have their own entries
    /// (<c>path{}.field</c>). The keys travel with the map; at level 1 a key holding an e-mail or IP
    /// address drops its member.
    /// </summary>
    Map,
}

/// <summary>The JSON type of a field's values (of its elements, for a list; of its values, for a map of values).</summary>
public enum FieldValueType
{
    /// <summary>Not a value: a record, a list of records or a map of records.</summary>
    Any,

    /// <summary>A JSON string (text, ids, times, addresses).</summary>
    Text,

    /// <summary>A JSON number (counts, sizes, durations in nanoseconds).</summary>
    Number,

    /// <summary>true or false.</summary>
    Flag,
}

/// <summary>One field of a telemetry payload, described for people and for the redactor.</summary>
/// <param name="Path">
/// Where the field is: the payload (<c>snapshot</c> or <c>deployment</c>), then property names joined
/// by <c>.</c>, with <c>[]</c> after a list of objects, e.g. <c>snapshot.users[].email</c>.
/// </param>
/// <param name="Shape">The JSON shape of the value.</param>
/// <param name="Category">What kind of information it holds.</param>
/// <param name="MinimumLevel">The lowest level at which it is sent: <see cref="TelemetryLevel.Lightweight"/> (1) or <see cref="TelemetryLevel.Full"/> (2 only).</param>
/// <param name="Description">What it is, in words a non-engineer understands.</param>
/// <param name="Purpose">What the vendor uses it for.</param>
/// <param name="Reason">
/// Why the field is sent from <paramref name="MinimumLevel"/>: for a field sent only at level 2, what in it
/// could tie the data to a person or an organisation; for a field kept at level 1 that could look
/// identifying, why it is safe (or what is masked). Required for fields sent only at level 2.
/// </param>
public sealed record DictionaryEntry(
    string Path,
    FieldShape Shape,
    FieldCategory Category,
    TelemetryLevel MinimumLevel,
    string Description,
    string Purpose,
    string? Reason = null)
{
    /// <summary>
    /// The JSON type its values have (null is always allowed). At level 1 a value of another type is dropped and
    /// counted (fail-closed): a string where a boolean is declared can carry anything.
    /// </summary>
    public FieldValueType ValueType { get; init; }

    /// <summary>The payload the field belongs to.</summary>
    public PayloadKind Kind => Path.StartsWith("snapshot.", StringComparison.Ordinal) ? PayloadKind.Snapshot : PayloadKind.Deployment;

    /// <summary>The JSON property name, e.g. <c>email</c>.</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];

    /// <summary>The path of the enclosing object, e.g. <c>snapshot.users[]</c>, or the payload's name at the top.</summary>
    public string ParentPath => Path[..Path.LastIndexOf('.')];

    /// <summary>The path children of this field use as their parent (<c>path</c>, <c>path[]</c> or <c>path{}</c>).</summary>
    public string ChildParentPath => Shape switch
    {
        FieldShape.RecordList => Path + "[]",
        FieldShape.Map => Path + "{}",
        _ => Path,
    };

    /// <summary>Whether the field holds values (a value, a list of values or a map of values), not only other fields.</summary>
    public bool CarriesValues => Shape is FieldShape.Value or FieldShape.ValueList || (Shape == FieldShape.Map && Category != FieldCategory.Section);

    /// <summary>Whether the field is sent at <paramref name="level"/>.</summary>
    public bool IsSentAt(TelemetryLevel level) => level != TelemetryLevel.Off && level >= MinimumLevel;
}
