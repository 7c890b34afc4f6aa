using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Core.Diff;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// The sent log's filters as the query string gives them: <c>from</c>, <c>to</c> (ISO 8601), <c>kind</c>, <c>level</c>,
/// <c>status</c> and <c>q</c> (text in metadata and payloads). Text, read by <see cref="HistoryService.ParseFilter"/>,
/// so that a bad value is a 400 naming its parameter.
/// </summary>
public sealed record HistoryFilterRequest(string? From, string? To, string? Kind, string? Level, string? Status, string? Q);

/// <summary>Which page of the sent log, and in which order: <c>page</c>, <c>pageSize</c>, <c>sortBy</c>, <c>descending</c>.</summary>
public sealed record HistoryPageRequest(string? Page, string? PageSize, string? SortBy, string? Descending);

/// <summary>The two payloads to compare: <c>from</c> (the older) and <c>to</c>, by id.</summary>
public sealed record HistoryDiffRequest(string? From, string? To);

/// <summary>The days of the daily totals: <c>from</c> and <c>to</c> (yyyy-mm-dd, inclusive).</summary>
public sealed record HistoryDaysRequest(string? From, string? To);

/// <summary>One row of the sent log.</summary>
public sealed record HistoryItemResponse(
    long Id, DateTime CapturedAt, string Kind, int Level, string Source, string Status, int? HttpStatus, int Attempts, long SizeBytes,
    string Sha256, DateTime? CompletedAt, string Endpoint, string? LastError)
{
    public static HistoryItemResponse From(HistoryItem i) => new(
        i.Id, i.CapturedAt, PayloadKinds.Name(i.Kind), i.Level, i.Source.ToString(), i.Status.ToString(), i.HttpStatus, i.Attempts,
        i.SizeBytes, i.Sha256, i.CompletedAt, i.Endpoint, i.LastError);
}

/// <summary>A page of the sent log.</summary>
public sealed record HistoryPageResponse(IReadOnlyList<HistoryItemResponse> Items, int Total, int Page, int PageSize, bool ContentSearchLimited)
{
    public static HistoryPageResponse From(HistoryPage page) =>
        new([.. page.Items.Select(HistoryItemResponse.From)], page.Total, page.Page, page.PageSize, page.ContentSearchLimited);
}

/// <summary>One payload's record, with the headers it was sent with.</summary>
public sealed record HistoryDetailResponse(
    long Id, string Kind, int Level, string Source, string Status, string Sha256, long SizeBytes, long CapturedBytes,
    DateTime CapturedAt, DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime? CompletedAt, int Attempts, int? HttpStatus,
    long? LastDurationMs, long TotalDurationMs, string? LastError, string Endpoint, IReadOnlyDictionary<string, string> Headers,
    RedactionCounts Redaction, long? SupersededById)
{
    public static HistoryDetailResponse From(PayloadRecord p) => new(
        p.Id, PayloadKinds.Name(p.Kind), p.Level, p.Source.ToString(), p.Status.ToString(), p.Sha256, p.SizeBytes, p.CapturedBytes, p.CapturedAt,
        p.LastAttemptAt, p.NextAttemptAt, p.CompletedAt, p.Attempts, p.HttpStatus, p.LastDurationMs, p.TotalDurationMs, p.LastError, p.Endpoint,
        p.Headers, p.Redaction, p.SupersededById);
}

/// <summary>The differences between two payloads of the same kind.</summary>
public sealed record DiffResponse(long From, long To, string Kind, int Added, int Removed, int Changed, bool Truncated, IReadOnlyList<JsonChange> Changes)
{
    /// <summary>The answer for <paramref name="c"/> (named <c>Of</c>: the record's <see cref="From"/> is the older payload's id).</summary>
    public static DiffResponse Of(PayloadComparison c) => new(
        c.From.Id, c.To.Id, PayloadKinds.Name(c.From.Kind), c.Diff.Added, c.Diff.Removed, c.Diff.Changed, c.Diff.Truncated, c.Diff.Changes);
}

/// <summary>Payloads and bytes of one day, one status and one level.</summary>
public sealed record DailyTotalResponse(DateOnly Day, string Status, int Level, int Payloads, long Bytes)
{
    public static DailyTotalResponse From(DailyTotal t) => new(t.Day, t.Status.ToString(), t.Level, t.Payloads, t.Bytes);
}

/// <summary>The sent log under <c>/api/v1/history</c> (Admin and Support).</summary>
public static class HistoryApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var history = api.MapGroup("/history").WithTags("History").RequireAccess(Audience.Staff);

        history.MapGet("/", ListAsync)
            .WithName("GetHistory")
            .WithSummary("The sent log, paged, sorted and filtered: from, to (ISO 8601), kind, level, status, q (text in metadata and payloads).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        history.MapGet("/{id:long}", GetAsync)
            .WithName("GetHistoryItem")
            .WithSummary("One payload's record: hash, size, level, endpoint, status, attempts, timings, headers, redactor counts.");

        history.MapGet("/{id:long}/payload", GetPayloadAsync)
            .AddEndpointFilter(AnswerDamagedAsync)
            .WithName("GetHistoryPayload")
            .WithSummary("The exact bytes that went on the wire; they hash to the logged SHA-256. A suppressed payload's bytes are not kept (410).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        history.MapPost("/{id:long}/send-again", SendAgainAsync)
            .RequireAccess(Audience.Admin, "an admin puts a rejected payload back in the queue")
            .WithName("SendHistoryItemAgain")
            .WithSummary("Puts a rejected payload back in the queue at once, with the same idempotency key (Admin); the level in force still applies. 409 when it was not rejected.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        history.MapGet("/diff", DiffAsync)
            .AddEndpointFilter(AnswerDamagedAsync)
            .WithName("DiffHistory")
            .WithSummary("What changed between two payloads of the same kind (records in lists matched by id).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        history.MapGet("/daily", DailyAsync)
            .WithName("GetHistoryDaily")
            .WithSummary("Payloads and bytes per day, status and level (default: the last 30 days).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        history.MapGet("/export", Export)
            .WithName("ExportHistory")
            .WithSummary("A filtered selection of the sent log, streamed: csv (metadata), jsonl (metadata and payloads) or zip (payload files and index.csv).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return api;
    }

    private static async Task<Ok<HistoryPageResponse>> ListAsync(
        [AsParameters] HistoryFilterRequest filter, [AsParameters] HistoryPageRequest paging, HistoryService history, CancellationToken ct) =>
        TypedResults.Ok(HistoryPageResponse.From(await history.QueryAsync(filter, paging, ct)));

    private static async Task<Results<Ok<HistoryDetailResponse>, ProblemHttpResult>> GetAsync(long id, HistoryService history, CancellationToken ct) =>
        await history.GetAsync(id, ct) is { } payload
            ? TypedResults.Ok(HistoryDetailResponse.From(payload))
            : Problems.NotFound(HistoryService.NotInLog(id));

    private static async Task<FileStreamHttpResult> GetPayloadAsync(long id, HistoryService history, HttpResponse response, CancellationToken ct)
    {
        var (payload, content) = await history.GetBytesAsync(id, ct);
        response.Headers["X-Content-SHA256"] = payload.Sha256;
        response.ContentLength = content.Length;
        return TypedResults.Stream(await content.OpenReadAsync(0, ct), "application/json", $"payload-{id}-{PayloadKinds.Name(payload.Kind)}.json");
    }

    private static async Task<Ok<HistoryDetailResponse>> SendAgainAsync(long id, ClaimsPrincipal user, OutboxSender sender, CancellationToken ct) =>
        TypedResults.Ok(HistoryDetailResponse.From(await sender.SendAgainAsync(id, user.Identity?.Name ?? "an admin", ct)));

    private static async Task<Ok<DiffResponse>> DiffAsync([AsParameters] HistoryDiffRequest request, HistoryService history, CancellationToken ct) =>
        TypedResults.Ok(DiffResponse.Of(await history.CompareAsync(request, ct)));

    private static async Task<Ok<IReadOnlyList<DailyTotalResponse>>> DailyAsync([AsParameters] HistoryDaysRequest request, HistoryService history, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<DailyTotalResponse>>([.. (await history.DailyAsync(request, ct)).Select(DailyTotalResponse.From)]);

    private static PushStreamHttpResult Export(string? format, [AsParameters] HistoryFilterRequest filter, HistoryExporter exporter, TimeProvider time)
    {
        // Both read before the first byte goes out: a bad value is still a 400.
        var exportFormat = HistoryExporter.ParseFormat(format);
        var parsed = HistoryService.ParseFilter(filter);
        return TypedResults.Stream(
            stream => exporter.WriteAsync(parsed, exportFormat, stream),
            HistoryExporter.ContentType(exportFormat),
            HistoryExporter.FileName(exportFormat, time.GetUtcNow().UtcDateTime));
    }

    /// <summary>A payload's stored bytes no longer rebuild to what was logged: a server-side fault, named (500), never other bytes.</summary>
    private static async ValueTask<object?> AnswerDamagedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (InvalidDataException damaged)
        {
            return TypedResults.Problem(damaged.Message, title: "Stored payload damaged", statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
