using System.Text;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;

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
    long Id, DateTime CapturedAt, string Kind, int Level, string Source, PayloadStatus Status, int? HttpStatus,
    int Attempts, long SizeBytes, string Sha256, DateTime? CompletedAt, string Endpoint, string? LastError);

/// <summary>A page of the sent log.</summary>
/// <param name="ContentSearchLimited">The text search looked inside only the most recent <see cref="HistoryService.MaxContentSearch"/> payloads' contents.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryItem> Items, int Total, bool ContentSearchLimited);

/// <summary>Payloads and bytes of one day, one status and one level.</summary>
public sealed record DailyTotal(DateOnly Day, PayloadStatus Status, int Level, int Payloads, long Bytes);

/// <summary>A request the sent log cannot answer, with the reason in words.</summary>
public sealed class HistoryQueryException(string message) : Exception(message);

/// <summary>
/// Reads the sent log: paged, sorted and filtered in the database; one payload's exact bytes; daily
/// totals for the charts.
/// </summary>
public sealed class HistoryService(IDbContextFactory<PortalDbContext> dbFactory, PayloadStore store)
{
    public const int MaxPageSize = 200;

    /// <summary>How many distinct contents a text search decompresses at most (newest first).</summary>
    public const int MaxContentSearch = 500;

    /// <summary>The columns a page may be sorted by.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["capturedAt", "kind", "level", "status", "sizeBytes", "attempts", "id"];

    /// <exception cref="HistoryQueryException">The page, page size, sort column or range is out of bounds.</exception>
    public async Task<HistoryPage> QueryAsync(HistoryFilter filter, int page = 1, int pageSize = 25, string? sortBy = null, bool descending = true, CancellationToken ct = default)
    {
        if (page < 1)
        {
            throw new HistoryQueryException($"page must be 1 or more; got {page}.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new HistoryQueryException($"pageSize must be between 1 and {MaxPageSize}; got {pageSize}.");
        }

        if (filter.From > filter.To)
        {
            throw new HistoryQueryException($"from ({filter.From:u}) is after to ({filter.To:u}).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One open for the count and the page: EF otherwise opens (and sets up) the connection for each.
        await db.Database.OpenConnectionAsync(ct);
        var (query, limited) = await FilterAsync(db, filter, ct);
        var total = await query.CountAsync(ct);
        if (total > 0 && (long)(page - 1) * pageSize >= total)
        {
            throw new HistoryQueryException($"page {page} is beyond the last page ({(total + pageSize - 1) / pageSize}).");
        }

        var items = await Sort(query, sortBy, descending)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(p => new HistoryItem(p.Id, p.CapturedAt, PayloadKinds.Name(p.Kind), p.Level, p.Source.ToString(), p.Status, p.HttpStatus, p.Attempts, p.SizeBytes, p.Sha256, p.CompletedAt, p.Endpoint, p.LastError))
            .ToListAsync(ct);
        return new HistoryPage(items, total, limited);
    }

    /// <summary>All rows matching the filter, oldest first, streamed (for exports).</summary>
    public async IAsyncEnumerable<(TelemetryPayload Payload, Func<CancellationToken, Task<byte[]>> Bytes)> StreamAsync(
        HistoryFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (query, _) = await FilterAsync(db, filter, ct);
        // Payloads in order mostly share a keyframe: decode it once for the run of deltas made against it.
        var keyframes = new PayloadStore.KeyframeCache();
        await foreach (var payload in query.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            var sha = payload.Sha256;
            yield return (payload, async token =>
            {
                return await store.GetAsync(sha, token, keyframes) ?? [];
            });
        }
    }

    public async Task<int> CountAsync(HistoryFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (query, _) = await FilterAsync(db, filter, ct);
        return await query.CountAsync(ct);
    }

    /// <summary>One payload's record, or <see langword="null"/>.</summary>
    public async Task<TelemetryPayload?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Payloads.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
    }

    /// <summary>
    /// The exact bytes of a payload (what went on the wire, or will), or <see langword="null"/> when there is no such
    /// payload. A suppressed payload's bytes are not kept (level 0): its <c>Bytes</c> is <see langword="null"/>.
    /// </summary>
    public async Task<(TelemetryPayload Payload, byte[]? Bytes)?> GetBytesAsync(long id, CancellationToken ct = default)
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
            return (payload, null);
        }

        return (payload, bytes ?? throw new InvalidDataException($"The content of payload {id} is missing from the log."));
    }

    /// <summary>The id of the payload of the same kind captured just before, or <see langword="null"/>.</summary>
    public async Task<long?> PreviousOfSameKindAsync(TelemetryPayload payload, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Payloads.Where(p => p.Kind == payload.Kind && p.Id < payload.Id)
            .OrderByDescending(p => p.Id).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Payloads and bytes per day, status and level, between two days (UTC, inclusive).</summary>
    public async Task<IReadOnlyList<DailyTotal>> DailyAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
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
        var pattern = $"%{text}%";
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
            byte[]? bytes;
            try
            {
                bytes = await store.GetAsync(db, sha, ct, keyframes);
            }
            catch (InvalidDataException)
            {
                // Damaged content matches nothing; its detail page says what is wrong with it.
                continue;
            }

            if (bytes is not null && ContainsIgnoreCase(bytes, needle))
            {
                matching.Add(sha);
            }
        }

        query = query.Where(p => matching.Contains(p.Sha256)
            || EF.Functions.Like(p.Sha256, pattern)
            || EF.Functions.Like(p.Endpoint, pattern)
            || EF.Functions.Like(p.CoderVersion, pattern)
            || (p.LastError != null && EF.Functions.Like(p.LastError, pattern)));
        return (query, limited);
    }

    private static IQueryable<TelemetryPayload> Sort(IQueryable<TelemetryPayload> query, string? sortBy, bool descending) =>
        (sortBy ?? "capturedAt").ToLowerInvariant() switch
        {
            "capturedat" => descending ? query.OrderByDescending(p => p.CapturedAt).ThenByDescending(p => p.Id) : query.OrderBy(p => p.CapturedAt).ThenBy(p => p.Id),
            "kind" => descending ? query.OrderByDescending(p => p.Kind).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Kind).ThenBy(p => p.Id),
            "level" => descending ? query.OrderByDescending(p => p.Level).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Level).ThenBy(p => p.Id),
            "status" => descending ? query.OrderByDescending(p => p.Status).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Status).ThenBy(p => p.Id),
            "sizebytes" => descending ? query.OrderByDescending(p => p.SizeBytes).ThenByDescending(p => p.Id) : query.OrderBy(p => p.SizeBytes).ThenBy(p => p.Id),
            "attempts" => descending ? query.OrderByDescending(p => p.Attempts).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Attempts).ThenBy(p => p.Id),
            "id" => descending ? query.OrderByDescending(p => p.Id) : query.OrderBy(p => p.Id),
            _ => throw new HistoryQueryException($"sortBy must be one of {string.Join(", ", SortColumns)}; got \"{sortBy}\"."),
        };

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
