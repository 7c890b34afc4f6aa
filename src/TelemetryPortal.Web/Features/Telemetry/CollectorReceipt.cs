namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>A payload the built-in collector received (the embedded default's stand-in for the vendor).</summary>
public sealed class CollectorReceipt
{
    public long Id { get; set; }

    public required string Kind { get; set; }

    /// <summary>The sender's <c>Idempotency-Key</c>; a repeat of a known key is acknowledged and not stored again.</summary>
    public required string IdempotencyKey { get; set; }

    public string? CoderVersion { get; set; }

    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    public DateTime ReceivedAt { get; set; }

    /// <summary>Repeats of this key that arrived later and were dropped.</summary>
    public int Duplicates { get; set; }
}
