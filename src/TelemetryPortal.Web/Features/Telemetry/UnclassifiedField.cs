namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// A field a report carried that the data dictionary does not know (a newer Coder's schema): level 1 drops
/// it (fail-closed), and this row lets the admin see what was held back, since when and from which version.
/// </summary>
public sealed class UnclassifiedField
{
    /// <summary>The dictionary path it would have, e.g. <c>snapshot.users[].username</c>.</summary>
    public required string Path { get; set; }

    /// <summary><c>snapshot</c> or <c>deployment</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The JSON type of the value last seen: string, number, boolean, null, object or array.</summary>
    public required string JsonType { get; set; }

    public DateTime FirstSeenAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    /// <summary>How many reports carried it.</summary>
    public long Reports { get; set; }

    /// <summary>The <c>X-Coder-Version</c> of the last report that carried it.</summary>
    public string? CoderVersion { get; set; }
}
