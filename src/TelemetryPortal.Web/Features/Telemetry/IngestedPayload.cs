namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The last payload of each kind a Coder server reported through the proxy, as received (before any level).</summary>
public sealed class IngestedPayload
{
    /// <summary><c>snapshot</c> or <c>deployment</c>: one row each.</summary>
    public required string Kind { get; set; }

    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    public string? CoderVersion { get; set; }

    public DateTime ReceivedAt { get; set; }
}
