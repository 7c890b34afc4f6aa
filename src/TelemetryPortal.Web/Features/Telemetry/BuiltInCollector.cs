using System.Buffers;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// The built-in stand-in for the vendor (<c>/collector/{kind}</c>): it checks that a report is well formed and records
/// its receipt once per idempotency key, as a vendor that drops repeats would.
/// </summary>
public sealed class BuiltInCollector(IDbContextFactory<PortalDbContext> dbFactory, Redactor redactor, TimeProvider time)
{
    /// <summary>The longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>Records the receipt of <paramref name="body"/>; a repeat of a key already received is counted, not stored again.</summary>
    /// <exception cref="PortalProblemException">The report is not well formed, or it has no usable idempotency key (400).</exception>
    public async Task ReceiveAsync(PayloadKind kind, byte[] body, string? idempotencyKey, string? coderVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            // Level 0 writes nothing but reads the payload whole: a check that it is a well-formed report.
            redactor.Redact(body, kind, TelemetryLevel.Off, new ArrayBufferWriter<byte>(1));
        }
        catch (RedactionException ex)
        {
            throw TelemetryCaptureService.Refused(ex);
        }

        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            throw PortalProblemException.Invalid(
                $"Send an Idempotency-Key header (at most {MaxIdempotencyKeyLength} characters).", "Missing idempotency key");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var repeats = await db.CollectorReceipts.Where(r => r.IdempotencyKey == idempotencyKey)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Duplicates, r => r.Duplicates + 1), ct);
        if (repeats > 0)
        {
            return;
        }

        db.CollectorReceipts.Add(new CollectorReceipt
        {
            Kind = PayloadKinds.Name(kind),
            IdempotencyKey = idempotencyKey,
            CoderVersion = coderVersion is { Length: > 0 and <= 64 } ? coderVersion : null,
            Sha256 = PayloadStore.Hash(body),
            SizeBytes = body.Length,
            ReceivedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }
}
