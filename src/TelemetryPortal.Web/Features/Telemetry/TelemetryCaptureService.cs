using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>What a capture stored.</summary>
public sealed record CaptureResult(long PayloadId, PayloadStatus Status, TelemetryLevel Level, string Sha256, long SizeBytes, RedactionResult Redaction);

/// <summary>
/// Takes a payload as the source produced it, applies the level in force with the redactor, and
/// stores the result durably in the outbox, in one transaction. At level 0 the payload is kept as
/// suppressed and never sent.
/// </summary>
public sealed partial class TelemetryCaptureService(
    IDbContextFactory<PortalDbContext> dbFactory,
    PayloadStore store,
    TelemetryLevelService levels,
    Redactor redactor,
    OutboxSignal signal,
    TimeProvider time,
    ILogger<TelemetryCaptureService> logger)
{
    /// <summary>The longest <c>X-Coder-Version</c> kept.</summary>
    private const int MaxCoderVersionLength = 64;

    /// <summary>Applies the level to <paramref name="captured"/> and queues the result.</summary>
    /// <param name="remember">Also keep the payload as the last one received from Coder (proxy mode), for previews.</param>
    /// <exception cref="RedactionException">The payload is malformed, too deep or too large; nothing was stored.</exception>
    public async Task<CaptureResult> CaptureAsync(
        PayloadKind kind, ReadOnlyMemory<byte> captured, TelemetrySource source, string coderVersion, bool remember = false, CancellationToken ct = default)
    {
        var level = (await levels.ResolveAsync(ct)).Effective;
        // At level 0 the redactor writes nothing but still checks the payload whole.
        var redacted = redactor.RedactToArray(captured.Span, kind, level);
        // Fields the dictionary does not know are recorded whatever the level (level 1 drops them; at 2 they
        // leave, and the admin should know they exist). Only Coder's own reports can carry them: the simulated
        // installation writes the dictionary's schema, so its captures are not read a second time.
        var unknown = level == TelemetryLevel.Lightweight ? redacted.Result.UnknownFields
            : source == TelemetrySource.CoderProxy ? redactor.Classify(captured.Span, kind).UnknownFields
            : [];
        // At level 0 the log keeps the record (time, kind, the SHA-256 and size of what was captured) but not the
        // bytes: an installation with zero telemetry keeps no copy of data about people for nothing.
        var suppressed = level == TelemetryLevel.Off;
        var bytes = redacted.Bytes;
        var now = time.GetUtcNow().UtcDateTime;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var kindName = PayloadKinds.Name(kind);
        // The previous payload of the same kind: a snapshot differs from the one before in little, so
        // the store keeps only the difference.
        var previous = await db.Payloads
            .Where(p => p.Kind == kind && p.Status != PayloadStatus.Suppressed)
            .OrderByDescending(p => p.CapturedAt).ThenByDescending(p => p.Id)
            .Select(p => p.Sha256)
            .FirstOrDefaultAsync(ct);
        var sha256 = suppressed ? PayloadStore.Hash(captured.Span) : await store.PutAsync(db, bytes, previous, ct);
        var payload = new TelemetryPayload
        {
            IdempotencyKey = Guid.NewGuid(),
            Kind = kind,
            Level = (int)level,
            Source = source,
            Endpoint = "",
            CoderVersion = coderVersion,
            Status = suppressed ? PayloadStatus.Suppressed : PayloadStatus.Pending,
            Sha256 = sha256,
            SizeBytes = bytes.Length,
            CapturedBytes = captured.Length,
            CapturedAt = now,
            NextAttemptAt = suppressed ? null : now,
            CompletedAt = suppressed ? now : null,
            DroppedFields = redacted.Result.DroppedFields,
            UnknownFieldsDropped = redacted.Result.UnknownFieldsDropped,
            MaskedEmails = redacted.Result.MaskedEmails,
            MaskedIpAddresses = redacted.Result.MaskedIpAddresses,
        };
        db.Payloads.Add(payload);
        await UnclassifiedFields.RecordAsync(db, kindName, unknown, coderVersion, now, ct);

        if (remember)
        {
            var ingested = await db.IngestedPayloads.FindAsync([kindName], ct);
            var originalSha = await store.PutAsync(db, captured, ingested?.Sha256 ?? sha256, ct);
            if (ingested is null)
            {
                ingested = new IngestedPayload { Kind = kindName, Sha256 = originalSha };
                db.IngestedPayloads.Add(ingested);
            }

            ingested.Sha256 = originalSha;
            ingested.SizeBytes = captured.Length;
            ingested.CoderVersion = coderVersion;
            ingested.ReceivedAt = now;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        LogCaptured(kindName, payload.Id, (int)level, payload.Status, payload.SizeBytes);
        if (!suppressed)
        {
            signal.Notify();
        }

        return new CaptureResult(payload.Id, payload.Status, level, sha256, payload.SizeBytes, redacted.Result);
    }

    /// <summary>
    /// Captures a report a Coder server posted through the proxy, and keeps it as the last one of its kind received (for
    /// previews). <paramref name="coderVersion"/> is its <c>X-Coder-Version</c> header, if any.
    /// </summary>
    /// <exception cref="PortalProblemException">The report is malformed, too deep or not an object (400); nothing was stored.</exception>
    public async Task<CaptureResult> ReceiveFromCoderAsync(PayloadKind kind, ReadOnlyMemory<byte> body, string? coderVersion, CancellationToken ct = default)
    {
        var version = string.IsNullOrWhiteSpace(coderVersion) ? "unknown" : coderVersion[..Math.Min(coderVersion.Length, MaxCoderVersionLength)];
        try
        {
            return await CaptureAsync(kind, body, TelemetrySource.CoderProxy, version, remember: true, ct);
        }
        catch (RedactionException ex)
        {
            throw Refused(ex);
        }
    }

    /// <summary>
    /// A report the redactor refused (malformed, too deep, not an object), as the refusal its sender is told. A body larger
    /// than the redactor reads never gets here: the endpoints answer it 413 before reading it.
    /// </summary>
    internal static PortalProblemException Refused(RedactionException error) => PortalProblemException.Invalid(error.Message, "Invalid payload");

    [LoggerMessage(LogLevel.Information, "Captured {Kind} payload {PayloadId} at level {Level}: {Status}, {SizeBytes} bytes")]
    private partial void LogCaptured(string kind, long payloadId, int level, PayloadStatus status, long sizeBytes);
}
