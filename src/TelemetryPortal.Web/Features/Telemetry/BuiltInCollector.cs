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

    /// <summary>
    /// Reads <paramref name="body"/> once, in bounded memory: checks that it is a well-formed report, measures and hashes it,
    /// and records its receipt; a repeat of a key already received is counted, not stored again.
    /// </summary>
    /// <exception cref="PortalProblemException">
    /// The body is empty or not a well-formed report, or has no usable idempotency key (400), or is larger than
    /// <paramref name="maxBytes"/> (413).
    /// </exception>
    public async Task ReceiveAsync(PayloadKind kind, Stream body, long maxBytes, string? idempotencyKey, string? coderVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var reading = new HashingReadStream(body, maxBytes);
        try
        {
            // Level 0 writes nothing but reads the payload whole: a check that it is a well-formed report.
            await redactor.RedactAsync(reading, kind, TelemetryLevel.Off, new ArrayBufferWriter<byte>(1), ct);
        }
        catch (RedactionException) when (reading.BytesRead == 0)
        {
            throw PortalProblemException.Invalid("The request has no body; send the payload as JSON.", "Empty body");
        }
        catch (RedactionException ex)
        {
            throw TelemetryCaptureService.Refused(ex);
        }
        catch (BodyTooLargeException ex)
        {
            throw TooLarge(ex.Size, maxBytes);
        }

        var size = reading.BytesRead;
        var sha256 = reading.Sha256();
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
            Sha256 = sha256,
            SizeBytes = size,
            ReceivedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The collector's refusal of a body past its limit, which is the redactor's (what the portal can capture at all).</summary>
    internal static PortalProblemException TooLarge(long size, long maxBytes) => new(
        ProblemKind.TooLarge,
        "Payload too large",
        $"The body is at least {size} bytes; the built-in collector takes at most {maxBytes} bytes, the most the portal captures " +
        "(the larger of Telemetry:Proxy:MaxPayloadBytes and 1 GiB).");
}
