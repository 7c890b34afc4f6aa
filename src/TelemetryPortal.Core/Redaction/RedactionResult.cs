using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Redaction;

/// <summary>What the redactor did to one payload.</summary>
public sealed record RedactionResult
{
    /// <summary>The payload's kind.</summary>
    public required PayloadKind Kind { get; init; }

    /// <summary>The level applied.</summary>
    public required TelemetryLevel Level { get; init; }

    /// <summary>Bytes read.</summary>
    public required long InputBytes { get; init; }

    /// <summary>Bytes written (0 at level 0).</summary>
    public required long OutputBytes { get; init; }

    /// <summary>Known fields removed because the dictionary sends them only at a higher level (e.g. each user's e-mail counts once).</summary>
    public int DroppedFields { get; init; }

    /// <summary>Fields removed because the dictionary does not know them (fail-closed; e.g. a newer Coder version).</summary>
    public int UnknownFieldsDropped { get; init; }

    /// <summary>Values removed because their JSON shape was not the one the dictionary describes (fail-closed).</summary>
    public int UnexpectedValuesDropped { get; init; }

    /// <summary>E-mail addresses masked inside kept text.</summary>
    public int MaskedEmails { get; init; }

    /// <summary>IP addresses (v4 and v6) masked inside kept text.</summary>
    public int MaskedIpAddresses { get; init; }

    /// <summary>Text values changed by masking.</summary>
    public int MaskedValues { get; init; }

    /// <summary>The unknown fields dropped, each path once with the JSON type of its first value (at most 50).</summary>
    public IReadOnlyList<UnknownField> UnknownFields { get; init; } = [];

    /// <summary>Whether nothing was produced because the level is 0.</summary>
    public bool Suppressed => Level == TelemetryLevel.Off;

    /// <summary>Whether the output differs from the input.</summary>
    public bool Changed => Level != TelemetryLevel.Full &&
        (Suppressed || DroppedFields + UnknownFieldsDropped + UnexpectedValuesDropped + MaskedValues > 0);
}

/// <summary>A field the data dictionary does not know: its path (e.g. <c>snapshot.users[].username</c>) and JSON type.</summary>
/// <param name="Path">The dictionary path the field would have.</param>
/// <param name="JsonType">string, number, boolean, null, object or array.</param>
public sealed record UnknownField(string Path, string JsonType);

/// <summary>A redacted payload held in memory.</summary>
/// <param name="Bytes">The bytes to send; empty at level 0.</param>
/// <param name="Result">What the redactor did.</param>
public sealed record RedactedPayload(ReadOnlyMemory<byte> Bytes, RedactionResult Result);
