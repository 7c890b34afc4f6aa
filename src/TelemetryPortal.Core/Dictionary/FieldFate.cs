using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Dictionary;

/// <summary>What a level does to one field of a payload.</summary>
public enum FieldFateKind
{
    /// <summary>Sent as it is.</summary>
    Kept,

    /// <summary>Removed: the dictionary sends the field only at a higher level.</summary>
    Removed,

    /// <summary>Removed: the dictionary does not know the field (fail-closed).</summary>
    Unknown,

    /// <summary>Sent, with the e-mail or IP addresses inside it masked.</summary>
    Masked,
}

/// <summary>A field's fate at a level, with the dictionary entry that decides it (none for unknown fields).</summary>
public sealed record FieldFate(FieldFateKind Kind, DictionaryEntry? Entry)
{
    /// <summary>Whether the level changes the field at all.</summary>
    public bool IsChanged => Kind != FieldFateKind.Kept;

    /// <summary>
    /// What <paramref name="level"/> does to the field at <paramref name="path"/> (a dictionary path such
    /// as <c>snapshot.users[].email</c>) whose value, when it is a string, is <paramref name="text"/>.
    /// The same rules as the redactor: level 2 keeps everything; level 1 removes fields sent only at 2
    /// and fields the dictionary does not know, and masks addresses in the strings it keeps.
    /// </summary>
    public static FieldFate At(DataDictionary dictionary, string path, TelemetryLevel level, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var entry = dictionary.Find(path);
        if (level == TelemetryLevel.Full)
        {
            return new FieldFate(FieldFateKind.Kept, entry);
        }

        if (entry is null)
        {
            return new FieldFate(FieldFateKind.Unknown, null);
        }

        if (!entry.IsSentAt(level))
        {
            return new FieldFate(FieldFateKind.Removed, entry);
        }

        return text is not null && PersonalDataMasker.ContainsPersonalData(text)
            ? new FieldFate(FieldFateKind.Masked, entry)
            : new FieldFate(FieldFateKind.Kept, entry);
    }

    /// <summary>Why, in one sentence for the person looking at the preview.</summary>
    public string Explain(TelemetryLevel level) => Kind switch
    {
        FieldFateKind.Removed => $"Removed at level {(int)level}: {FieldCategories.Label(Entry!.Category).ToLowerInvariant()} could tie the data to a person or organisation.",
        FieldFateKind.Unknown => $"Removed at level {(int)level}: the data dictionary does not know this field, so it is not sent (fail-closed).",
        FieldFateKind.Masked => $"Masked at level {(int)level}: e-mail or IP addresses inside this text are replaced.",
        _ => "Sent as it is.",
    };
}
