using System.Buffers;
using System.Security.Cryptography;
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
    /// <summary>How much of the payload is read at a time.</summary>
    private const int ReadChunkBytes = 256 * 1024;

    /// <summary>The longest <c>X-Coder-Version</c> kept.</summary>
    private const int MaxCoderVersionLength = 64;

    /// <summary>Applies the level to <paramref name="captured"/> and queues the result.</summary>
    /// <param name="remember">Also keep the payload as the last one received from Coder (proxy mode), for previews.</param>
    /// <exception cref="RedactionException">The payload is malformed, too deep or too large; nothing was stored.</exception>
    public Task<CaptureResult> CaptureAsync(
        PayloadKind kind, ReadOnlyMemory<byte> captured, TelemetrySource source, string coderVersion, bool remember = false, CancellationToken ct = default) =>
        CaptureAsync(kind, new MemoryByteSource(captured), source, coderVersion, remember, ct);

    /// <inheritdoc cref="CaptureAsync(PayloadKind, ReadOnlyMemory{byte}, TelemetrySource, string, bool, CancellationToken)"/>
    public async Task<CaptureResult> CaptureAsync(
        PayloadKind kind, IByteSource captured, TelemetrySource source, string coderVersion, bool remember = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(captured);
        await using var stream = await captured.OpenReadAsync(0, ct);
        return await CaptureAsync(kind, stream, source, coderVersion, remember, ct);
    }

    /// <summary>
    /// Applies the level to the payload read from <paramref name="captured"/> as it arrives, and queues the result. The
    /// payload is never held whole: it goes through the redactor into the store a chunk at a time, so a snapshot of
    /// hundreds of megabytes takes a few megabytes of memory. Nothing is stored unless the whole payload was read and
    /// is valid.
    /// </summary>
    /// <param name="remember">Also keep the payload as the last one received from Coder (proxy mode), for previews.</param>
    /// <exception cref="RedactionException">The payload is malformed, too deep or too large; nothing was stored.</exception>
    public async Task<CaptureResult> CaptureAsync(
        PayloadKind kind, Stream captured, TelemetrySource source, string coderVersion, bool remember = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(captured);
        var level = (await levels.ResolveAsync(ct)).Effective;
        var kindName = PayloadKinds.Name(kind);
        // At level 0 the log keeps the record (time, kind, the SHA-256 and size of what was captured) but not the
        // bytes: an installation with zero telemetry keeps no copy of data about people for nothing.
        var suppressed = level == TelemetryLevel.Off;
        string? previous;
        string? lastReceived = null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The previous payload of the same kind: a snapshot differs from the one before in little, so the store
            // keeps only the difference.
            previous = await db.Payloads
                .Where(p => p.Kind == kind && p.Status != PayloadStatus.Suppressed)
                .OrderByDescending(p => p.CapturedAt).ThenByDescending(p => p.Id)
                .Select(p => p.Sha256)
                .FirstOrDefaultAsync(ct);
            if (remember)
            {
                lastReceived = await db.IngestedPayloads.Where(i => i.Kind == kindName).Select(i => i.Sha256).SingleOrDefaultAsync(ct);
            }
        }

        // What is sent (none at level 0), and, in proxy mode, the report as Coder sent it, kept for previews (at level 2
        // they are the same bytes, stored once).
        await using var sent = suppressed ? null : store.BeginWrite(previous);
        await using var original = remember && level != TelemetryLevel.Full ? store.BeginWrite(lastReceived ?? previous) : null;
        using var redaction = redactor.Begin(kind, level, (IBufferWriter<byte>?)sent ?? new DiscardingBufferWriter());
        // Fields the dictionary does not know are recorded whatever the level (level 1 drops them; at 2 they leave, and
        // the admin should know they exist). Only Coder's own reports can carry them: the simulated installation writes
        // the dictionary's schema, so its captures are not read a second time.
        using var classify = level != TelemetryLevel.Lightweight && source == TelemetrySource.CoderProxy ? redactor.BeginClassify(kind) : null;
        // At level 0 only the SHA-256 of what was captured is kept.
        using var capturedHash = suppressed ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            int read;
            while ((read = await captured.ReadAsync(buffer.AsMemory(0, ReadChunkBytes), ct)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                redaction.Write(chunk);
                classify?.Write(chunk);
                original?.Write(chunk);
                capturedHash?.AppendData(chunk);
                if (sent is not null)
                {
                    await sent.FlushAsync(ct);
                }

                if (original is not null)
                {
                    await original.FlushAsync(ct);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var result = redaction.Finish();
        var unknown = level == TelemetryLevel.Lightweight ? result.UnknownFields : classify?.Finish().UnknownFields ?? [];
        var capturedBytes = redaction.BytesRead;
        var now = time.GetUtcNow().UtcDateTime;

        await using var save = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await save.Database.BeginTransactionAsync(ct);
        var sha256 = sent is null ? Convert.ToHexStringLower(capturedHash!.GetHashAndReset()) : await sent.CompleteAsync(save, ct);
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
            SizeBytes = sent?.Length ?? 0,
            CapturedBytes = capturedBytes,
            CapturedAt = now,
            NextAttemptAt = suppressed ? null : now,
            CompletedAt = suppressed ? now : null,
            DroppedFields = result.DroppedFields,
            UnknownFieldsDropped = result.UnknownFieldsDropped,
            MaskedEmails = result.MaskedEmails,
            MaskedIpAddresses = result.MaskedIpAddresses,
        };
        save.Payloads.Add(payload);
        await UnclassifiedFields.RecordAsync(save, kindName, unknown, coderVersion, now, ct);

        if (remember)
        {
            var originalSha = original is null ? sha256 : await original.CompleteAsync(save, ct);
            // One statement: reports arriving together (on this instance or another on the same database) would both
            // find no row and both insert it, and the second would fail. The latest received is kept.
            await save.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO ingested_payloads ("Kind", "Sha256", "SizeBytes", "CoderVersion", "ReceivedAt")
                VALUES ({kindName}, {originalSha}, {capturedBytes}, {coderVersion}, {now})
                ON CONFLICT ("Kind") DO UPDATE SET
                    "Sha256" = excluded."Sha256", "SizeBytes" = excluded."SizeBytes",
                    "CoderVersion" = excluded."CoderVersion", "ReceivedAt" = excluded."ReceivedAt"
                WHERE ingested_payloads."ReceivedAt" <= excluded."ReceivedAt"
                """,
                ct);
        }

        await save.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        LogCaptured(kindName, payload.Id, (int)level, payload.Status, payload.SizeBytes);
        if (!suppressed)
        {
            signal.Notify();
        }

        return new CaptureResult(payload.Id, payload.Status, level, sha256, payload.SizeBytes, result);
    }

    /// <summary>
    /// Captures a report a Coder server posted through the proxy, and keeps it as the last one of its kind received (for
    /// previews). <paramref name="coderVersion"/> is its <c>X-Coder-Version</c> header, if any.
    /// </summary>
    /// <exception cref="PortalProblemException">
    /// The report is empty, malformed, too deep or not an object (400), or larger than <paramref name="maxBytes"/> (413);
    /// nothing was stored.
    /// </exception>
    public async Task<CaptureResult> ReceiveFromCoderAsync(PayloadKind kind, Stream body, long maxBytes, string? coderVersion, CancellationToken ct = default)
    {
        var version = string.IsNullOrWhiteSpace(coderVersion) ? "unknown" : coderVersion[..Math.Min(coderVersion.Length, MaxCoderVersionLength)];
        // Counted against the limit as it arrives; the store hashes what it keeps.
        await using var reading = new HashingReadStream(body, maxBytes, hash: false);
        try
        {
            return await CaptureAsync(kind, reading, TelemetrySource.CoderProxy, version, remember: true, ct);
        }
        catch (RedactionException) when (reading.BytesRead == 0)
        {
            throw PortalProblemException.Invalid("The request has no body; send the payload as JSON.", "Empty body");
        }
        catch (RedactionException ex)
        {
            throw Refused(ex);
        }
        catch (BodyTooLargeException ex)
        {
            throw new PortalProblemException(
                ProblemKind.TooLarge,
                "Payload too large",
                $"The body is at least {ex.Size} bytes; the limit is {maxBytes} bytes (Telemetry:Proxy:MaxPayloadBytes).");
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
