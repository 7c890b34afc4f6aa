using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Where a payload stands. Stored as text.</summary>
public enum PayloadStatus
{
    /// <summary>Captured and waiting for its first send.</summary>
    Pending,

    /// <summary>A send failed; it is tried again at <see cref="TelemetryPayload.NextAttemptAt"/>.</summary>
    Retrying,

    /// <summary>The endpoint accepted it (2xx).</summary>
    Sent,

    /// <summary>The endpoint refused it for good (a 4xx other than 408 and 429); not tried again.</summary>
    Rejected,

    /// <summary>Captured at level 0, or queued when the level in force became 0: nothing was sent, by design.</summary>
    Suppressed,

    /// <summary>
    /// Still queued when the level in force dropped below its level: it was never sent; a copy redacted again
    /// to the lower level (<see cref="TelemetryPayload.SupersededById"/>) went in its place.
    /// </summary>
    Superseded,
}

/// <summary>
/// One captured payload: the outbox entry while it waits, and the sent log's record afterwards.
/// The bytes live in <see cref="PayloadContent"/>, once per distinct content.
/// </summary>
public sealed class TelemetryPayload
{
    public long Id { get; set; }

    /// <summary>Sent as <c>Idempotency-Key</c> on every try, so the receiver can drop repeats.</summary>
    public Guid IdempotencyKey { get; set; }

    /// <summary>Stored as its protocol name, <c>snapshot</c> or <c>deployment</c>.</summary>
    public PayloadKind Kind { get; set; }

    /// <summary>The effective level the payload was captured and sent at.</summary>
    public int Level { get; set; }

    /// <summary>Where it came from; stored as its name, <c>Simulated</c> or <c>CoderProxy</c>.</summary>
    public TelemetrySource Source { get; set; }

    /// <summary>The full URL it is sent to (empty when suppressed).</summary>
    public required string Endpoint { get; set; }

    /// <summary>Sent as <c>X-Coder-Version</c>.</summary>
    public required string CoderVersion { get; set; }

    public PayloadStatus Status { get; set; }

    /// <summary>SHA-256 (lower-case hex) of the exact bytes sent, or for a suppressed payload of the bytes that were not.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Size of those bytes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>Size of the payload as captured, before the level was applied.</summary>
    public long CapturedBytes { get; set; }

    public DateTime CapturedAt { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>HTTP requests made so far, including the resilience pipeline's own retries.</summary>
    public int Attempts { get; set; }

    /// <summary>Sends that failed in a row; the wait before the next one grows with it.</summary>
    public int FailedSends { get; set; }

    /// <summary>Status code of the last response, if any came.</summary>
    public int? HttpStatus { get; set; }

    /// <summary>How long the last send took, in milliseconds.</summary>
    public long? LastDurationMs { get; set; }

    /// <summary>Time spent sending over all tries, in milliseconds.</summary>
    public long TotalDurationMs { get; set; }

    /// <summary>Why the last send failed, in words.</summary>
    public string? LastError { get; set; }

    /// <summary>Fields the level removed because the dictionary sends them only at a higher level.</summary>
    public int DroppedFields { get; set; }

    /// <summary>Fields removed because the dictionary does not know them (fail-closed).</summary>
    public int UnknownFieldsDropped { get; set; }

    public int MaskedEmails { get; set; }

    public int MaskedIpAddresses { get; set; }

    /// <summary>For a <see cref="PayloadStatus.Superseded"/> payload: the one redacted again to the lower level that replaced it.</summary>
    public long? SupersededById { get; set; }

    /// <summary>The instance (<see cref="Data.DatabaseOptions.InstanceName"/>) sending it now; no other instance takes it until <see cref="LeaseExpiresAt"/>.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the sending instance's lease ends unless it renews it: a lease left by an instance that died is taken over then.</summary>
    public DateTime? LeaseExpiresAt { get; set; }
}
