using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Diff;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Filters over the sent log; every field optional.</summary>
public sealed record HistoryFilter(
    DateTime? From = null,
    DateTime? To = null,
    PayloadKind? Kind = null,
    int? Level = null,
    PayloadStatus? Status = null,
    string? Query = null);

/// <summary>One row of the sent log, as lists show it.</summary>
public sealed record HistoryItem(
    long Id, DateTime CapturedAt, PayloadKind Kind, int Level, TelemetrySource Source, PayloadStatus Status, int? HttpStatus,
    int Attempts, long SizeBytes, string Sha256, DateTime? CompletedAt, string Endpoint, string? LastError);

/// <summary>A page of the sent log.</summary>
/// <param name="ContentSearchLimited">The text search looked inside only the most recent <see cref="HistoryService.MaxContentSearch"/> payloads' contents.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryItem> Items, int Total, int Page, int PageSize, bool ContentSearchLimited);

/// <summary>Payloads and bytes of one day, one status and one level.</summary>
public sealed record DailyTotal(DateOnly Day, PayloadStatus Status, int Level, int Payloads, long Bytes);

/// <summary>
/// Reads the sent log: paged, sorted and filtered in the database; one payload's exact bytes; what changed between two;
/// daily totals for the charts. Every request it refuses is a <see cref="PortalProblemException"/> naming what is wrong,
/// whether a page or the API asked; the API's query text is read here too (<see cref="ParseFilter"/>).
/// </summary>
public sealed class HistoryService(IDbContextFactory<PortalDbContext> dbFactory, PayloadStore store, TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <summary>How many distinct contents a text search decompresses at most (newest first).</summary>
    public const int MaxContentSearch = 500;

    /// <summary>
    /// The largest payload compared field by field (each side). The diff holds both payloads parsed; beyond this a
    /// comparison is refused (413) and the page offers both downloads instead.
    /// </summary>
    public const long MaxDiffBytes = 32L * 1024 * 1024;

    /// <summary>The longest range of daily totals, in days (ten years).</summary>
    private const int MaxDailyRange = 3660;

    /// <summary>The columns a page may be sorted by.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["capturedAt", "kind", "level", "status", "sizeBytes", "attempts", "id"];

    /// <summary>What the sent log says of an id it does not hold.</summary>
    public static string NotInLog(long id) => $"There is no payload {id} in the sent log.";

    /// <summary>The filter the API's query text gives (<c>from</c>, <c>to</c>, <c>kind</c>, <c>level</c>, <c>status</c>, <c>q</c>).</summary>
    /// <exception cref="PortalProblemException">A value is not what its parameter takes (400), named.</exception>
    public static HistoryFilter ParseFilter(HistoryFilterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var from = QueryText.Time("from", request.From);
        var to = QueryText.Time("to", request.To);
        var kind = QueryText.Kind("kind", request.Kind);
        var level = QueryText.Level("level", request.Level);
        var status = QueryText.OneOf<PayloadStatus>("status", request.Status);
        return new HistoryFilter(from, to, kind, level is { } value ? (int)value : null, status, string.IsNullOrWhiteSpace(request.Q) ? null : request.Q);
    }

    /// <summary>A page of the sent log, as the API's query text asks for it (page 1 of 25, newest first, by default).</summary>
    /// <exception cref="PortalProblemException">A value is not what its parameter takes, or out of bounds (400), named.</exception>
    public Task<HistoryPage> QueryAsync(HistoryFilterRequest filter, HistoryPageRequest paging, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var parsed = ParseFilter(filter);
        var page = QueryText.Number("page", paging.Page, 1);
        var pageSize = QueryText.Number("pageSize", paging.PageSize, 25);
        var descending = QueryText.Flag("descending", paging.Descending, true);
        return QueryAsync(parsed, page, pageSize, paging.SortBy, descending, ct);
    }

    /// <summary>A page of the sent log.</summary>
    /// <exception cref="PortalProblemException">The page, page size, sort column or range is out of bounds (400).</exception>
    public async Task<HistoryPage> QueryAsync(HistoryFilter filter, int page = 1, int pageSize = 25, string? sortBy = null, bool descending = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (page < 1)
        {
            throw PortalProblemException.Invalid($"page must be 1 or more; got {page}.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw PortalProblemException.Invalid($"pageSize must be between 1 and {MaxPageSize}; got {pageSize}.");
        }

        if (filter.From > filter.To)
        {
            throw PortalProblemException.Invalid($"from ({filter.From:u}) is after to ({filter.To:u}).");
        }

        var sort = SortColumn(sortBy);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One open for the count and the page: EF otherwise opens (and sets up) the connection for each.
        await db.Database.OpenConnectionAsync(ct);
        var (query, limited) = await FilterAsync(db, filter, ct);
        // The unfiltered total on PostgreSQL is kept by the database (counting a million rows there takes tens of ms).
        var total = db.Provider == DatabaseProvider.Postgres && IsUnfiltered(filter)
            ? await PostgresPayloadCounts.TotalAsync(db, ct)
            : await query.CountAsync(ct);
        if (total > 0 && (long)(page - 1) * pageSize >= total)
        {
            throw PortalProblemException.Invalid($"page {page} is beyond the last page ({(total + pageSize - 1) / pageSize}).");
        }

        var items = await Sort(query, sort, descending)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(p => new HistoryItem(p.Id, p.CapturedAt, p.Kind, p.Level, p.Source, p.Status, p.HttpStatus, p.Attempts, p.SizeBytes, p.Sha256, p.CompletedAt, p.Endpoint, p.LastError))
            .ToListAsync(ct);
        return new HistoryPage(items, total, page, pageSize, limited);
    }

    /// <summary>
    /// All rows matching the filter, oldest first, streamed (for exports), each with a way to open its bytes
    /// (<see langword="null"/> when they are not kept: suppressed at level 0).
    /// </summary>
    public async IAsyncEnumerable<(PayloadRecord Payload, Func<CancellationToken, Task<IByteSource?>> Open)> StreamAsync(
        HistoryFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (query, _) = await FilterAsync(db, filter, ct);
        // Payloads in order mostly share a keyframe: decode it once for the run of deltas made against it.
        var keyframes = new PayloadStore.KeyframeCache();
        await foreach (var payload in query.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            var sha = payload.Sha256;
            var kept = payload.Status != PayloadStatus.Suppressed;
            yield return (PayloadRecord.From(payload), async token => kept ? await store.OpenAsync(sha, token, keyframes) : null);
        }
    }

    public async Task<int> CountAsync(HistoryFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (query, _) = await FilterAsync(db, filter, ct);
        return db.Provider == DatabaseProvider.Postgres && IsUnfiltered(filter)
            ? await PostgresPayloadCounts.TotalAsync(db, ct)
            : await query.CountAsync(ct);
    }

    /// <summary>One payload's record, or <see langword="null"/> when the sent log does not hold it.</summary>
    public async Task<PayloadRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payload = await db.Payloads.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return payload is null ? null : PayloadRecord.From(payload);
    }

    /// <summary>The exact bytes of a payload: what went on the wire, or will.</summary>
    /// <exception cref="PortalProblemException">There is no such payload (404), or it was suppressed at level 0 and its bytes are not kept (410).</exception>
    /// <exception cref="InvalidDataException">The stored bytes are missing or damaged: they do not rebuild to what was logged.</exception>
    public async Task<PayloadBytes> GetBytesAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payload = await db.Payloads.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw PortalProblemException.NotFound(NotInLog(id));
        var record = PayloadRecord.From(payload);
        var content = await store.OpenAsync(db, payload.Sha256, ct);
        return content is null
            ? throw (payload.Status == PayloadStatus.Suppressed ? NotKept(record) : new InvalidDataException($"The content of payload {id} is missing from the log."))
            : new PayloadBytes(record, content);
    }

    /// <summary>What changed between two payloads of the same kind, as the API's query text names them (<c>from</c>, <c>to</c>).</summary>
    /// <exception cref="PortalProblemException">A value is not a payload id (400); see <see cref="CompareAsync(long, long, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidDataException">The stored bytes of either are damaged.</exception>
    public Task<PayloadComparison> CompareAsync(HistoryDiffRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return long.TryParse(request.From, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && long.TryParse(request.To, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            ? CompareAsync(from, to, ct)
            : throw PortalProblemException.Invalid("from and to must be payload ids.");
    }

    /// <summary>What changed between two payloads of the same kind (records in lists matched by id).</summary>
    /// <exception cref="PortalProblemException">
    /// Either is not in the sent log (404), they are of different kinds (400), or either was suppressed and its bytes are not kept (410).
    /// </exception>
    /// <exception cref="InvalidDataException">The stored bytes of either are damaged.</exception>
    public async Task<PayloadComparison> CompareAsync(long from, long to, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var sizes = await db.Payloads.Where(p => p.Id == from || p.Id == to).Select(p => new { p.Id, p.SizeBytes }).ToListAsync(ct);
            if (sizes.FirstOrDefault(s => s.SizeBytes > MaxDiffBytes) is { } large)
            {
                throw new PortalProblemException(
                    ProblemKind.TooLarge,
                    "Too large to compare",
                    $"Payload {large.Id} is {large.SizeBytes} bytes; payloads over {MaxDiffBytes} bytes are not compared field by field here. Download both and compare them with a tool of your own.");
            }
        }

        // Both are read first: damage to either is said before anything else.
        var left = await ReadAsync(from, ct);
        var right = await ReadAsync(to, ct);
        if (left is not { } older || right is not { } newer)
        {
            throw PortalProblemException.NotFound(NotInLog(left is null ? from : to));
        }

        if (older.Payload.Kind != newer.Payload.Kind)
        {
            throw PortalProblemException.Invalid(
                $"Payload {from} is a {PayloadKinds.Name(older.Payload.Kind)} and {to} a {PayloadKinds.Name(newer.Payload.Kind)}; compare payloads of the same kind.");
        }

        if (older.Bytes is null || newer.Bytes is null)
        {
            throw NotKept(older.Bytes is null ? older.Payload : newer.Payload);
        }

        return new PayloadComparison(older.Payload, newer.Payload, JsonDiff.Compare(older.Bytes, newer.Bytes));
    }

    /// <summary>The id of the payload of the same kind captured just before, or <see langword="null"/>.</summary>
    public async Task<long?> PreviousOfSameKindAsync(PayloadRecord payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Payloads.Where(p => p.Kind == payload.Kind && p.Id < payload.Id)
            .OrderByDescending(p => p.Id).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Daily totals between two days as the API's query text gives them (yyyy-mm-dd); by default the last 30 days.</summary>
    /// <exception cref="PortalProblemException">A value is not a date, or the range is reversed or too long (400).</exception>
    public Task<IReadOnlyList<DailyTotal>> DailyAsync(HistoryDaysRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        DateOnly start = today.AddDays(-29), end = today;
        return (request.From is not null && !DateOnly.TryParse(request.From, CultureInfo.InvariantCulture, out start))
            || (request.To is not null && !DateOnly.TryParse(request.To, CultureInfo.InvariantCulture, out end))
            ? throw PortalProblemException.Invalid("from and to must be dates (yyyy-mm-dd).")
            : DailyAsync(start, end, ct);
    }

    /// <summary>The day (UTC) the first payload still in the sent log was captured; <see langword="null"/> when there is none.</summary>
    public async Task<DateOnly?> FirstCapturedDayAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var first = await db.Payloads.OrderBy(p => p.CapturedAt).Select(p => (DateTime?)p.CapturedAt).FirstOrDefaultAsync(ct);
        return first is { } at ? DateOnly.FromDateTime(at) : null;
    }

    /// <summary>Payloads and bytes per day, status and level, between two days (UTC, inclusive).</summary>
    /// <exception cref="PortalProblemException"><paramref name="from"/> is after <paramref name="to"/>, or the range is longer than ten years (400).</exception>
    public async Task<IReadOnlyList<DailyTotal>> DailyAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (from > to || to.DayNumber - from.DayNumber > MaxDailyRange)
        {
            throw PortalProblemException.Invalid("from must not be after to, and the range at most ten years.");
        }

        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Payloads
            .Where(p => p.CapturedAt >= start && p.CapturedAt < end)
            .GroupBy(p => new { p.CapturedAt.Date, p.Status, p.Level })
            .Select(g => new { g.Key.Date, g.Key.Status, g.Key.Level, Payloads = g.Count(), Bytes = g.Sum(p => p.SizeBytes) })
            .ToListAsync(ct);
        return [.. rows
            .Select(r => new DailyTotal(DateOnly.FromDateTime(r.Date), r.Status, r.Level, r.Payloads, r.Bytes))
            .OrderBy(r => r.Day).ThenBy(r => r.Status).ThenBy(r => r.Level)];
    }

    private static bool IsUnfiltered(HistoryFilter filter) =>
        filter is { From: null, To: null, Kind: null, Level: null, Status: null } && string.IsNullOrWhiteSpace(filter.Query);

    /// <summary>The escape character of the search's LIKE patterns.</summary>
    private const string LikeEscape = @"\";

    private async Task<(IQueryable<TelemetryPayload> Query, bool ContentSearchLimited)> FilterAsync(PortalDbContext db, HistoryFilter filter, CancellationToken ct)
    {
        IQueryable<TelemetryPayload> query = db.Payloads;
        if (filter.From is { } from)
        {
            query = query.Where(p => p.CapturedAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(p => p.CapturedAt <= to);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(p => p.Kind == kind);
        }

        if (filter.Level is { } level)
        {
            query = query.Where(p => p.Level == level);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(p => p.Status == status);
        }

        if (string.IsNullOrWhiteSpace(filter.Query))
        {
            return (query, false);
        }

        // Text search: the metadata in the database, and the payload bytes of the newest contents
        // (stored compressed, so they are searched here, each distinct content once).
        var text = filter.Query.Trim();
        if (StorableText.Problem(text) is { } problem)
        {
            // PostgreSQL refuses such a parameter; nothing stored can hold it either.
            throw PortalProblemException.Invalid($"q (the text to search for) contains {problem}; nothing stored can match it.");
        }

        // Literal: LIKE's wildcards and its escape in the text match only themselves (on PostgreSQL a trailing
        // backslash was an error).
        var pattern = $"%{text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal)}%";
        var candidates = await query
            .GroupBy(p => p.Sha256)
            .Select(g => new { Sha256 = g.Key, Newest = g.Max(p => p.Id) })
            .OrderByDescending(g => g.Newest)
            .Take(MaxContentSearch + 1)
            .Select(g => g.Sha256)
            .ToListAsync(ct);
        var limited = candidates.Count > MaxContentSearch;
        var needle = Encoding.UTF8.GetBytes(text);
        var matching = new List<string>();
        var keyframes = new PayloadStore.KeyframeCache();
        foreach (var sha in candidates.Take(MaxContentSearch))
        {
            try
            {
                if (await store.OpenAsync(db, sha, ct, keyframes) is { } content && await ContainsIgnoreCaseAsync(content, needle, ct))
                {
                    matching.Add(sha);
                }
            }
            catch (InvalidDataException)
            {
                // Damaged content matches nothing; its detail page says what is wrong with it.
            }
        }

        // Case-insensitive on both providers: SQLite's LIKE is for ASCII, PostgreSQL's is not, so it gets ILIKE.
        query = db.Provider == DatabaseProvider.Postgres
            ? query.Where(p => matching.Contains(p.Sha256)
                || EF.Functions.ILike(p.Sha256, pattern, LikeEscape)
                || EF.Functions.ILike(p.Endpoint, pattern, LikeEscape)
                || EF.Functions.ILike(p.CoderVersion, pattern, LikeEscape)
                || (p.LastError != null && EF.Functions.ILike(p.LastError, pattern, LikeEscape)))
            : query.Where(p => matching.Contains(p.Sha256)
                || EF.Functions.Like(p.Sha256, pattern, LikeEscape)
                || EF.Functions.Like(p.Endpoint, pattern, LikeEscape)
                || EF.Functions.Like(p.CoderVersion, pattern, LikeEscape)
                || (p.LastError != null && EF.Functions.Like(p.LastError, pattern, LikeEscape)));
        return (query, limited);
    }

    /// <summary>The sort column named (any case; capture time when none), lower-case.</summary>
    private static string SortColumn(string? sortBy)
    {
        var column = (sortBy ?? "capturedAt").ToLowerInvariant();
        return SortColumns.Any(c => c.Equals(column, StringComparison.OrdinalIgnoreCase))
            ? column
            : throw PortalProblemException.Invalid($"sortBy must be one of {string.Join(", ", SortColumns)}; got \"{sortBy}\".");
    }

    private static IQueryable<TelemetryPayload> Sort(IQueryable<TelemetryPayload> query, string column, bool descending) => column switch
    {
        "kind" => descending ? query.OrderByDescending(p => p.Kind).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Kind).ThenBy(p => p.Id),
        "level" => descending ? query.OrderByDescending(p => p.Level).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Level).ThenBy(p => p.Id),
        "status" => descending ? query.OrderByDescending(p => p.Status).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Status).ThenBy(p => p.Id),
        "sizebytes" => descending ? query.OrderByDescending(p => p.SizeBytes).ThenByDescending(p => p.Id) : query.OrderBy(p => p.SizeBytes).ThenBy(p => p.Id),
        "attempts" => descending ? query.OrderByDescending(p => p.Attempts).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Attempts).ThenBy(p => p.Id),
        "id" => descending ? query.OrderByDescending(p => p.Id) : query.OrderBy(p => p.Id),
        _ => descending ? query.OrderByDescending(p => p.CapturedAt).ThenByDescending(p => p.Id) : query.OrderBy(p => p.CapturedAt).ThenBy(p => p.Id),
    };

    /// <summary>
    /// A payload's record and exact bytes (<see langword="null"/> bytes: suppressed, not kept), or <see langword="null"/> when
    /// there is no such payload.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored bytes are missing or damaged.</exception>
    private async Task<(PayloadRecord Payload, byte[]? Bytes)?> ReadAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payload = await db.Payloads.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payload is null)
        {
            return null;
        }

        var bytes = await store.GetAsync(db, payload.Sha256, ct);
        if (bytes is null && payload.Status == PayloadStatus.Suppressed)
        {
            return (PayloadRecord.From(payload), null);
        }

        return (PayloadRecord.From(payload), bytes ?? throw new InvalidDataException($"The content of payload {id} is missing from the log."));
    }

    private static PortalProblemException NotKept(PayloadRecord payload) => new(
        ProblemKind.Gone,
        "Bytes not kept",
        $"Payload {payload.Id} was suppressed at level 0: nothing was sent, and the log keeps its record (SHA-256 {payload.Sha256}, {payload.CapturedBytes} bytes captured) but not its bytes.");

    /// <summary>
    /// Whether <paramref name="content"/> holds <paramref name="needle"/> (ASCII case folded), read a window at a time:
    /// consecutive windows overlap by the needle's length less one, so a match across two windows is found.
    /// </summary>
    internal static async Task<bool> ContainsIgnoreCaseAsync(IByteSource content, byte[] needle, CancellationToken ct)
    {
        const int window = 1024 * 1024;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(window + needle.Length);
        try
        {
            await using var stream = await content.OpenReadAsync(0, ct);
            var kept = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(kept, window), ct)) > 0)
            {
                var filled = kept + read;
                if (ContainsIgnoreCase(buffer.AsSpan(0, filled), needle))
                {
                    return true;
                }

                kept = Math.Min(Math.Max(needle.Length - 1, 0), filled);
                buffer.AsSpan(filled - kept, kept).CopyTo(buffer);
            }

            return needle.Length == 0;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static bool ContainsIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        // Payloads are mostly ASCII; an ASCII case fold is enough to find names, addresses and ids.
        if (needle.IsEmpty)
        {
            return true;
        }

        // Jump between the places where the first byte occurs in either case (a vectorised scan), and
        // compare the whole needle only there: a megabyte without a match is read once, not once per byte.
        var first = needle[0];
        var lower = (byte)(first is >= (byte)'A' and <= (byte)'Z' ? first + 32 : first);
        var upper = (byte)(first is >= (byte)'a' and <= (byte)'z' ? first - 32 : first);
        var last = haystack.Length - needle.Length;
        var at = 0;
        while (at <= last)
        {
            var found = haystack[at..(last + 1)].IndexOfAny(lower, upper);
            if (found < 0)
            {
                return false;
            }

            at += found;
            if (System.Text.Ascii.EqualsIgnoreCase(haystack.Slice(at, needle.Length), needle))
            {
                return true;
            }

            at++;
        }

        return false;
    }
}
