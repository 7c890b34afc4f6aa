using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Keeps the outbox within the level in force: a payload still waiting to be sent that was captured above
/// the level now in force never leaves as it is. At level 0 it is suppressed; at level 1 a level-2 payload is
/// redacted again from its stored bytes into a new payload that takes its place in the queue (the original
/// is marked superseded and links to it). Raising the level never raises what was queued.
/// </summary>
public sealed partial class OutboxLevelEnforcer(
    IDbContextFactory<PortalDbContext> dbFactory,
    PayloadStore store,
    Redactor redactor,
    TimeProvider time,
    ILogger<OutboxLevelEnforcer> logger)
{
    /// <summary>Applies <paramref name="level"/> to every payload still waiting to be sent.</summary>
    public async Task ApplyAsync(TelemetryLevel level, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var above = await db.Payloads
            .Where(p => (p.Status == PayloadStatus.Pending || p.Status == PayloadStatus.Retrying) && p.Level > (int)level)
            .OrderBy(p => p.Id)
            .ToListAsync(ct);
        foreach (var payload in above)
        {
            await EnforceAsync(db, payload, level, ct);
        }
    }

    /// <summary>
    /// The payload to send in place of <paramref name="payload"/> at <paramref name="level"/>: itself when its level is
    /// not above, a new payload redacted again to <paramref name="level"/>, or <see langword="null"/> when nothing may
    /// be sent (level 0). Changes are saved on <paramref name="db"/> in one transaction.
    /// </summary>
    /// <param name="lease">The sender's lease, given to a new payload in the same transaction, so that no other instance takes it while this one sends it.</param>
    /// <exception cref="InvalidDataException">The stored bytes are missing or damaged; the payload cannot be redacted again.</exception>
    public async Task<TelemetryPayload?> EnforceAsync(PortalDbContext db, TelemetryPayload payload, TelemetryLevel level, CancellationToken ct, OutboxLease? lease = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Level <= (int)level)
        {
            return payload;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (level == TelemetryLevel.Off)
        {
            payload.Status = PayloadStatus.Suppressed;
            payload.NextAttemptAt = null;
            payload.LeaseOwner = null;
            payload.LeaseExpiresAt = null;
            payload.CompletedAt = now;
            payload.LastError = $"Not sent: it was captured at level {payload.Level}, and the level in force became 0 before it could be sent; its bytes are not kept.";
            payload.SizeBytes = 0;
            await db.SaveChangesAsync(ct);
            await store.DeleteIfUnusedAsync(db, payload.Sha256, ct);
            LogSuppressed(PayloadKinds.Name(payload.Kind), payload.Id, payload.Level);
            return null;
        }

        var stored = await store.OpenAsync(db, payload.Sha256, ct)
            ?? throw new InvalidDataException($"The content {payload.Sha256} of payload {payload.Id} is missing.");
        // Read back from the store and redacted again as it streams into a new content: never whole, whatever the size.
        await using var writer = store.BeginWrite(payload.Sha256);
        RedactionResult redacted;
        await using (var input = await stored.OpenReadAsync(0, ct))
        using (var redaction = redactor.Begin(payload.Kind, level, writer))
        {
            var buffer = new byte[256 * 1024];
            int read;
            while ((read = await input.ReadAsync(buffer, ct)) > 0)
            {
                redaction.Write(buffer.AsSpan(0, read));
                await writer.FlushAsync(ct);
            }

            redacted = redaction.Finish();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var sha256 = await writer.CompleteAsync(db, ct);
        var replacement = new TelemetryPayload
        {
            IdempotencyKey = Guid.NewGuid(),
            Kind = payload.Kind,
            Level = (int)level,
            Source = payload.Source,
            Endpoint = "",
            CoderVersion = payload.CoderVersion,
            Status = PayloadStatus.Pending,
            Sha256 = sha256,
            SizeBytes = writer.Length,
            CapturedBytes = payload.CapturedBytes,
            CapturedAt = payload.CapturedAt,
            NextAttemptAt = now,
            DroppedFields = redacted.DroppedFields,
            UnknownFieldsDropped = redacted.UnknownFieldsDropped,
            MaskedEmails = redacted.MaskedEmails,
            MaskedIpAddresses = redacted.MaskedIpAddresses,
            LeaseOwner = lease?.Owner,
            LeaseExpiresAt = lease?.Until,
        };
        db.Payloads.Add(replacement);
        await db.SaveChangesAsync(ct);
        payload.Status = PayloadStatus.Superseded;
        payload.NextAttemptAt = null;
        payload.LeaseOwner = null;
        payload.LeaseExpiresAt = null;
        payload.CompletedAt = now;
        payload.SupersededById = replacement.Id;
        payload.LastError = $"Not sent: it was captured at level {payload.Level}, and the level in force became {(int)level} before it could be sent; payload {replacement.Id} went in its place.";
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogSuperseded(PayloadKinds.Name(payload.Kind), payload.Id, payload.Level, replacement.Id, (int)level);
        return replacement;
    }

    [LoggerMessage(LogLevel.Information, "{Kind} payload {PayloadId} (level {Level}) suppressed: the level in force is 0")]
    private partial void LogSuppressed(string kind, long payloadId, int level);

    [LoggerMessage(LogLevel.Information, "{Kind} payload {PayloadId} (level {Level}) superseded by payload {ReplacementId}, redacted again to level {NewLevel}")]
    private partial void LogSuperseded(string kind, long payloadId, int level, long replacementId, int newLevel);
}
