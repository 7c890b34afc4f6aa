using TelemetryPortal.Core.Diff;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>What the redactor removed and masked.</summary>
public sealed record RedactionCounts(int DroppedFields, int UnknownFieldsDropped, int MaskedEmails, int MaskedIpAddresses);

/// <summary>One payload's record in the sent log, as the detail page, the API and exports show it.</summary>
/// <param name="Endpoint">The full URL it is sent to (empty when it was not sent).</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the exact bytes sent, or for a suppressed payload of the bytes that were not.</param>
/// <param name="SizeBytes">Size of those bytes.</param>
/// <param name="CapturedBytes">Size of the payload as captured, before the level was applied.</param>
/// <param name="Attempts">HTTP requests made so far, including the resilience pipeline's own retries.</param>
/// <param name="SupersededById">For a superseded payload: the one redacted again to the lower level that replaced it.</param>
public sealed record PayloadRecord(
    long Id, Guid IdempotencyKey, PayloadKind Kind, int Level, TelemetrySource Source, PayloadStatus Status, string Endpoint,
    string CoderVersion, string Sha256, long SizeBytes, long CapturedBytes, DateTime CapturedAt, DateTime? LastAttemptAt,
    DateTime? NextAttemptAt, DateTime? CompletedAt, int Attempts, int? HttpStatus, long? LastDurationMs, long TotalDurationMs,
    string? LastError, RedactionCounts Redaction, long? SupersededById)
{
    /// <summary>The headers the sender puts on this payload's requests.</summary>
    public IReadOnlyDictionary<string, string> Headers => new Dictionary<string, string>
    {
        ["Content-Type"] = "application/json",
        ["X-Coder-Version"] = CoderVersion,
        ["Idempotency-Key"] = IdempotencyKey.ToString(),
    };

    internal static PayloadRecord From(TelemetryPayload p) => new(
        p.Id, p.IdempotencyKey, p.Kind, p.Level, p.Source, p.Status, p.Endpoint, p.CoderVersion, p.Sha256, p.SizeBytes, p.CapturedBytes,
        p.CapturedAt, p.LastAttemptAt, p.NextAttemptAt, p.CompletedAt, p.Attempts, p.HttpStatus, p.LastDurationMs, p.TotalDurationMs,
        p.LastError, new RedactionCounts(p.DroppedFields, p.UnknownFieldsDropped, p.MaskedEmails, p.MaskedIpAddresses), p.SupersededById);
}

/// <summary>A payload's record and the exact bytes that went on the wire (or will); they hash to <see cref="PayloadRecord.Sha256"/>.</summary>
public sealed record PayloadBytes(PayloadRecord Payload, IByteSource Content);

/// <summary>What changed between two payloads of the same kind.</summary>
public sealed record PayloadComparison(PayloadRecord From, PayloadRecord To, JsonDiffResult Diff);
