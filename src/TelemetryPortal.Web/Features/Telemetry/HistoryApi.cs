using System.Globalization;
using TelemetryPortal.Core.Diff;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>A page of the sent log.</summary>
public sealed record HistoryPageResponse(IReadOnlyList<HistoryItem> Items, int Total, int Page, int PageSize, bool ContentSearchLimited);

/// <summary>One payload's record, with the headers it was sent with.</summary>
public sealed record HistoryDetailResponse(
    long Id, string Kind, int Level, string Source, string Status, string Sha256, long SizeBytes, long CapturedBytes,
    DateTime CapturedAt, DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime? CompletedAt, int Attempts, int? HttpStatus,
    long? LastDurationMs, long TotalDurationMs, string? LastError, string Endpoint, IReadOnlyDictionary<string, string> Headers,
    RedactionCounts Redaction, long? SupersededById)
{
    public static HistoryDetailResponse From(TelemetryPayload p) => new(
        p.Id, PayloadKinds.Name(p.Kind), p.Level, p.Source.ToString(), p.Status.ToString(), p.Sha256, p.SizeBytes, p.CapturedBytes, p.CapturedAt, p.LastAttemptAt,
        p.NextAttemptAt, p.CompletedAt, p.Attempts, p.HttpStatus, p.LastDurationMs, p.TotalDurationMs, p.LastError, p.Endpoint,
        SentHeaders(p), new RedactionCounts(p.DroppedFields, p.UnknownFieldsDropped, p.MaskedEmails, p.MaskedIpAddresses), p.SupersededById);

    /// <summary>The headers the sender puts on this payload's requests.</summary>
    public static IReadOnlyDictionary<string, string> SentHeaders(TelemetryPayload p) => new Dictionary<string, string>
    {
        ["Content-Type"] = "application/json",
        ["X-Coder-Version"] = p.CoderVersion,
        ["Idempotency-Key"] = p.IdempotencyKey.ToString(),
    };
}

/// <summary>What the redactor removed and masked.</summary>
public sealed record RedactionCounts(int DroppedFields, int UnknownFieldsDropped, int MaskedEmails, int MaskedIpAddresses);

/// <summary>The differences between two payloads of the same kind.</summary>
public sealed record DiffResponse(long From, long To, string Kind, int Added, int Removed, int Changed, bool Truncated, IReadOnlyList<JsonChange> Changes);

public static class HistoryApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var history = api.MapGroup("/history").WithTags("History");

        history.MapGet("/", async (HistoryService service, string? from, string? to, string? kind, string? level, string? status,
                string? q, string? page, string? pageSize, string? sortBy, string? descending, CancellationToken ct) =>
            {
                if (!TryParseFilter(from, to, kind, level, status, q, out var filter, out var error)
                    || !TryParseInt(page, "page", 1, out var pageNumber, out error)
                    || !TryParseInt(pageSize, "pageSize", 25, out var size, out error)
                    || !TryParseBool(descending, "descending", true, out var desc, out error))
                {
                    return BadRequest(error);
                }

                try
                {
                    var result = await service.QueryAsync(filter, pageNumber, size, sortBy, desc, ct);
                    return Results.Ok(new HistoryPageResponse(result.Items, result.Total, pageNumber, size, result.ContentSearchLimited));
                }
                catch (HistoryQueryException ex)
                {
                    return BadRequest(ex.Message);
                }
            })
            .WithName("GetHistory")
            .WithSummary("The sent log, paged, sorted and filtered: from, to (ISO 8601), kind, level, status, q (text in metadata and payloads).");

        history.MapGet("/{id:long}", async (long id, HistoryService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } payload ? Results.Ok(HistoryDetailResponse.From(payload)) : NotFound(id))
            .WithName("GetHistoryItem")
            .WithSummary("One payload's record: hash, size, level, endpoint, status, attempts, timings, headers, redactor counts.");

        history.MapGet("/{id:long}/payload", async (long id, HistoryService service, HttpContext context, CancellationToken ct) =>
            {
                (TelemetryPayload Payload, byte[]? Bytes)? read;
                try
                {
                    read = await service.GetBytesAsync(id, ct);
                }
                catch (InvalidDataException ex)
                {
                    return Damaged(ex);
                }

                if (read is not { } found)
                {
                    return NotFound(id);
                }

                if (found.Bytes is null)
                {
                    return NotKept(found.Payload);
                }

                context.Response.Headers["X-Content-SHA256"] = found.Payload.Sha256;
                return Results.Bytes(found.Bytes, "application/json", $"payload-{id}-{PayloadKinds.Name(found.Payload.Kind)}.json");
            })
            .WithName("GetHistoryPayload")
            .WithSummary("The exact bytes that went on the wire; they hash to the logged SHA-256. A suppressed payload's bytes are not kept (410).");

        history.MapGet("/diff", async (string? from, string? to, HistoryService service, CancellationToken ct) =>
            {
                if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                    || !long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                {
                    return BadRequest("from and to must be payload ids.");
                }

                (TelemetryPayload Payload, byte[]? Bytes)? left, right;
                try
                {
                    left = await service.GetBytesAsync(a, ct);
                    right = await service.GetBytesAsync(b, ct);
                }
                catch (InvalidDataException ex)
                {
                    return Damaged(ex);
                }
                if (left is null || right is null)
                {
                    return NotFound(left is null ? a : b);
                }

                if (left.Value.Payload.Kind != right.Value.Payload.Kind)
                {
                    return BadRequest($"Payload {a} is a {PayloadKinds.Name(left.Value.Payload.Kind)} and {b} a {PayloadKinds.Name(right.Value.Payload.Kind)}; compare payloads of the same kind.");
                }

                if (left.Value.Bytes is null || right.Value.Bytes is null)
                {
                    return NotKept(left.Value.Bytes is null ? left.Value.Payload : right.Value.Payload);
                }

                var diff = JsonDiff.Compare(left.Value.Bytes, right.Value.Bytes);
                return Results.Ok(new DiffResponse(a, b, PayloadKinds.Name(left.Value.Payload.Kind), diff.Added, diff.Removed, diff.Changed, diff.Truncated, diff.Changes));
            })
            .WithName("DiffHistory")
            .WithSummary("What changed between two payloads of the same kind (records in lists matched by id).");

        history.MapGet("/daily", async (string? from, string? to, HistoryService service, TimeProvider time, CancellationToken ct) =>
            {
                var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                DateOnly start = today.AddDays(-29), end = today;
                if ((from is not null && !DateOnly.TryParse(from, CultureInfo.InvariantCulture, out start))
                    || (to is not null && !DateOnly.TryParse(to, CultureInfo.InvariantCulture, out end)))
                {
                    return BadRequest("from and to must be dates (yyyy-mm-dd).");
                }

                return start > end || end.DayNumber - start.DayNumber > 3660
                    ? BadRequest("from must not be after to, and the range at most ten years.")
                    : Results.Ok(await service.DailyAsync(start, end, ct));
            })
            .WithName("GetHistoryDaily")
            .WithSummary("Payloads and bytes per day, status and level (default: the last 30 days).");

        history.MapGet("/export", (HistoryExporter exporter, TimeProvider time, string? format, string? from, string? to, string? kind,
                string? level, string? status, string? q) =>
            {
                if (!HistoryExporter.TryParseFormat(format ?? "csv", out var exportFormat))
                {
                    return BadRequest($"format must be csv, jsonl or zip; got \"{format}\".");
                }

                if (!TryParseFilter(from, to, kind, level, status, q, out var filter, out var error))
                {
                    return BadRequest(error);
                }

                return Results.Stream(
                    stream => exporter.WriteAsync(filter, exportFormat, stream),
                    HistoryExporter.ContentType(exportFormat),
                    HistoryExporter.FileName(exportFormat, time.GetUtcNow().UtcDateTime));
            })
            .WithName("ExportHistory")
            .WithSummary("A filtered selection of the sent log, streamed: csv (metadata), jsonl (metadata and payloads) or zip (payload files and index.csv).");

        return api;
    }

    internal static bool TryParseFilter(string? from, string? to, string? kind, string? level, string? status, string? q, out HistoryFilter filter, out string error)
    {
        filter = new HistoryFilter();
        error = "";
        DateTime? fromTime = null, toTime = null;
        if (from is not null)
        {
            if (!DateTime.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                error = $"from must be a date and time (ISO 8601); got \"{from}\".";
                return false;
            }

            fromTime = parsed;
        }

        if (to is not null)
        {
            if (!DateTime.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                error = $"to must be a date and time (ISO 8601); got \"{to}\".";
                return false;
            }

            toTime = parsed;
        }

        PayloadKind? kindValue = null;
        if (kind is not null && PayloadKinds.TryParse(kind, out var parsedKind))
        {
            kindValue = parsedKind;
        }
        else if (kind is not null)
        {
            error = $"kind must be snapshot or deployment; got \"{kind}\".";
            return false;
        }

        int? levelNumber = null;
        if (level is not null)
        {
            if (level is not ("0" or "1" or "2"))
            {
                error = $"level must be 0, 1 or 2; got \"{level}\".";
                return false;
            }

            levelNumber = level[0] - '0';
        }

        PayloadStatus? statusValue = null;
        if (status is not null)
        {
            if (!Enum.TryParse<PayloadStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                error = $"status must be one of {string.Join(", ", Enum.GetNames<PayloadStatus>())}; got \"{status}\".";
                return false;
            }

            statusValue = parsed;
        }

        filter = new HistoryFilter(fromTime, toTime, kindValue, levelNumber, statusValue, string.IsNullOrWhiteSpace(q) ? null : q);
        return true;
    }

    private static bool TryParseInt(string? raw, string name, int fallback, out int value, out string error)
    {
        error = "";
        value = fallback;
        if (raw is null)
        {
            return true;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        error = $"{name} must be a whole number; got \"{raw}\".";
        return false;
    }

    private static bool TryParseBool(string? raw, string name, bool fallback, out bool value, out string error)
    {
        error = "";
        value = fallback;
        if (raw is null || bool.TryParse(raw, out value))
        {
            return true;
        }

        error = $"{name} must be true or false; got \"{raw}\".";
        return false;
    }

    internal static IResult BadRequest(string detail) => Results.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A payload's stored bytes no longer rebuild to what was logged: a server-side fault, named, never other bytes.</summary>
    internal static IResult Damaged(InvalidDataException error) =>
        Results.Problem(title: "Stored payload damaged", detail: error.Message, statusCode: StatusCodes.Status500InternalServerError);

    internal static IResult NotKept(TelemetryPayload payload) => Results.Problem(
        title: "Bytes not kept",
        detail: $"Payload {payload.Id} was suppressed at level 0: nothing was sent, and the log keeps its record (SHA-256 {payload.Sha256}, {payload.CapturedBytes} bytes captured) but not its bytes.",
        statusCode: StatusCodes.Status410Gone);

    internal static IResult NotFound(long id) => Results.Problem(title: "Not found", detail: $"There is no payload {id} in the sent log.", statusCode: StatusCodes.Status404NotFound);
}
