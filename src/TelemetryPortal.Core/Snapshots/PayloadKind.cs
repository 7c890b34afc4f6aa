namespace TelemetryPortal.Core.Snapshots;

/// <summary>The two payloads of Coder's telemetry protocol.</summary>
public enum PayloadKind
{
    /// <summary>Database records, <c>POST {endpoint}/snapshot</c>.</summary>
    Snapshot,

    /// <summary>Host facts and configuration, <c>POST {endpoint}/deployment</c>.</summary>
    Deployment,
}

/// <summary>Names and paths of <see cref="PayloadKind"/>.</summary>
public static class PayloadKinds
{
    /// <summary>All payload kinds.</summary>
    public static IReadOnlyList<PayloadKind> All { get; } = [PayloadKind.Snapshot, PayloadKind.Deployment];

    /// <summary>The root of the payload's dictionary paths and the last segment of its URL: <c>snapshot</c> or <c>deployment</c>.</summary>
    public static string Name(PayloadKind kind) => kind switch
    {
        PayloadKind.Snapshot => "snapshot",
        PayloadKind.Deployment => "deployment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a payload kind."),
    };

    /// <summary>Parses <c>snapshot</c> or <c>deployment</c> (case-insensitive).</summary>
    public static bool TryParse(string? raw, out PayloadKind kind)
    {
        kind = default;
        if (string.Equals(raw, "snapshot", StringComparison.OrdinalIgnoreCase))
        {
            kind = PayloadKind.Snapshot;
            return true;
        }

        if (string.Equals(raw, "deployment", StringComparison.OrdinalIgnoreCase))
        {
            kind = PayloadKind.Deployment;
            return true;
        }

        return false;
    }
}
