using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>One field the dictionary does not know, as the admin sees it.</summary>
public sealed record UnclassifiedFieldView(string Path, string Kind, string JsonType, DateTime FirstSeenAt, DateTime LastSeenAt, long Reports, string? CoderVersion);

/// <summary>
/// Schema drift, recorded: the fields reports carried that the data dictionary does not know. Level 1
/// drops them; these rows say what was held back. The table is bounded (<see cref="MaxRows"/> paths, each
/// path at most <see cref="MaxPathLength"/> characters), so a caller inventing keys cannot grow it without end.
/// </summary>
public sealed class UnclassifiedFields(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPathLength = 400;
    public const int MaxRows = 2000;

    /// <summary>Adds or updates the rows of <paramref name="fields"/> in <paramref name="db"/> (the caller saves, in its transaction).</summary>
    public static async Task RecordAsync(
        PortalDbContext db, string kind, IReadOnlyList<UnknownField> fields, string? coderVersion, DateTime now, CancellationToken ct)
    {
        if (fields.Count == 0)
        {
            return;
        }

        var paths = fields.Select(f => Clip(f.Path)).Distinct(StringComparer.Ordinal).ToList();
        var existing = (await db.UnclassifiedFields.AsNoTracking().Where(f => paths.Contains(f.Path)).Select(f => f.Path).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var room = MaxRows - await db.UnclassifiedFields.CountAsync(ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // In path order: concurrent captures then meet the rows in one order and cannot deadlock on them.
        foreach (var field in fields.OrderBy(f => Clip(f.Path), StringComparer.Ordinal))
        {
            var path = Clip(field.Path);
            if (!seen.Add(path) || (!existing.Contains(path) && room-- <= 0))
            {
                continue;
            }

            // One statement per field: reports carrying the same new field may arrive together (on this instance or
            // another on the same database), and a read-then-insert would fail the second capture on the key.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO unclassified_fields ("Path", "Kind", "JsonType", "FirstSeenAt", "LastSeenAt", "Reports", "CoderVersion")
                VALUES ({path}, {kind}, {field.JsonType}, {now}, {now}, 1, {coderVersion})
                ON CONFLICT ("Path") DO UPDATE SET
                    "LastSeenAt" = excluded."LastSeenAt", "Reports" = unclassified_fields."Reports" + 1,
                    "JsonType" = excluded."JsonType", "CoderVersion" = excluded."CoderVersion"
                """,
                ct);
        }
    }

    /// <summary>Every recorded field, the most recently seen first.</summary>
    public async Task<IReadOnlyList<UnclassifiedFieldView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.UnclassifiedFields.AsNoTracking().ToListAsync(ct);
        return [.. rows
            .OrderByDescending(f => f.LastSeenAt).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => new UnclassifiedFieldView(f.Path, f.Kind, f.JsonType, f.FirstSeenAt, f.LastSeenAt, f.Reports, f.CoderVersion))];
    }

    /// <summary>How many fields are recorded.</summary>
    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UnclassifiedFields.CountAsync(ct);
    }

    // A key may hold anything JSON can escape (a NUL, half a surrogate pair): shown escaped, and never cut within a pair.
    private static string Clip(string path) => StorableText.Escape(path, MaxPathLength);
}
