using System.Globalization;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// What the History page shows: its filters, sort and page, as its address carries them (<c>from</c>, <c>to</c> as
/// <c>yyyy-MM-dd</c>, <c>kind</c>, <c>level</c>, <c>status</c>, <c>q</c>, <c>sortBy</c>, <c>descending</c>, <c>page</c>
/// from 1, <c>pageSize</c>), so that a view can be linked, bookmarked and reloaded. The defaults are left out of the address.
/// </summary>
public sealed record HistoryView(
    DateTime? From = null,
    DateTime? To = null,
    PayloadKind? Kind = null,
    int? Level = null,
    PayloadStatus? Status = null,
    string? Query = null,
    string SortBy = HistoryView.DefaultSort,
    bool Descending = true,
    int Page = 1,
    int PageSize = HistoryView.DefaultPageSize)
{
    public const string DefaultSort = "capturedAt";

    public const int DefaultPageSize = 25;

    /// <summary>The page sizes the pager offers.</summary>
    public static IReadOnlyList<int> PageSizes { get; } = [25, 50, 100, 200];

    /// <summary>The columns the grid sorts by, by the name the address uses.</summary>
    public static IReadOnlyList<string> SortColumns { get; } = ["capturedAt", "kind", "level", "status", "attempts", "sizeBytes"];

    /// <summary>The filter the service takes: the days from the start of <see cref="From"/> to the end of <see cref="To"/>.</summary>
    public HistoryFilter Filter => new(
        From is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
        To is { } to ? DateTime.SpecifyKind(to.Date, DateTimeKind.Utc).AddDays(1).AddTicks(-1) : null,
        Kind, Level, Status, Query);

    /// <summary>
    /// The view an address's query text asks for. A value that is not one the page offers is left out, and
    /// <paramref name="ignored"/> says which and why; nothing here throws.
    /// </summary>
    public static HistoryView Parse(HistoryViewQuery query, out IReadOnlyList<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(query);
        var notes = new List<string>();
        var view = new HistoryView(
            Read(notes, () => Day("from", query.From)),
            Read(notes, () => Day("to", query.To)),
            Read(notes, () => QueryText.Kind("kind", Blank(query.Kind))),
            Read(notes, () => QueryText.Level("level", Blank(query.Level)) is { } level ? (int)level : (int?)null),
            Read(notes, () => QueryText.OneOf<PayloadStatus>("status", Blank(query.Status))),
            string.IsNullOrWhiteSpace(query.Q) ? null : query.Q,
            Read(notes, () => Sort(query.SortBy)) ?? DefaultSort,
            Read(notes, () => (bool?)QueryText.Flag("descending", Blank(query.Descending), true)) ?? true,
            Read(notes, () => Positive("page", query.Page)) ?? 1,
            Read(notes, () => Size(query.PageSize)) ?? DefaultPageSize);
        if (view.From is { } from && view.To is { } to && from > to)
        {
            notes.Add($"from ({from:yyyy-MM-dd}) is after to ({to:yyyy-MM-dd}).");
            view = view with { From = null, To = null };
        }

        ignored = notes;
        return view;
    }

    /// <summary>The query parameters of this view, with <see langword="null"/> for each at its default (to be left out).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["kind"] = Kind is { } kind ? PayloadKinds.Name(kind) : null,
        ["level"] = Level?.ToString(CultureInfo.InvariantCulture),
        ["status"] = Status?.ToString(),
        ["q"] = string.IsNullOrWhiteSpace(Query) ? null : Query,
        ["sortBy"] = SortBy == DefaultSort ? null : SortBy,
        ["descending"] = Descending ? null : "false",
        ["page"] = Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture),
        ["pageSize"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The address's name of a grid column's property (<c>CapturedAt</c> → <c>capturedAt</c>), or the default.</summary>
    public static string SortName(string? property) =>
        SortColumns.FirstOrDefault(c => c.Equals(property, StringComparison.OrdinalIgnoreCase)) ?? DefaultSort;

    private static T? Read<T>(List<string> notes, Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (PortalProblemException ex)
        {
            notes.Add(ex.Message);
            return default;
        }
    }

    private static string? Blank(string? raw) => string.IsNullOrWhiteSpace(raw) ? null : raw;

    private static DateTime? Day(string name, string? raw) =>
        Blank(raw) is null ? null
        : DateTime.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? DateTime.SpecifyKind(day, DateTimeKind.Utc)
        : throw PortalProblemException.Invalid($"{name} must be a date (yyyy-MM-dd); got \"{raw}\".");

    private static string? Sort(string? raw) =>
        Blank(raw) is null ? null
        : SortColumns.FirstOrDefault(c => c.Equals(raw, StringComparison.OrdinalIgnoreCase))
            ?? throw PortalProblemException.Invalid($"sortBy must be one of {string.Join(", ", SortColumns)}; got \"{raw}\".");

    private static int? Positive(string name, string? raw) =>
        Blank(raw) is null ? null
        : QueryText.Number(name, raw, 1) is var value and >= 1 ? value
        : throw PortalProblemException.Invalid($"{name} must be 1 or more; got \"{raw}\".");

    private static int? Size(string? raw) =>
        Blank(raw) is null ? null
        : QueryText.Number("pageSize", raw, DefaultPageSize) is var size && PageSizes.Contains(size) ? size
        : throw PortalProblemException.Invalid($"pageSize must be one of {string.Join(", ", PageSizes)}; got \"{raw}\".");
}

/// <summary>The History page's query text as the address gives it, unread.</summary>
public sealed record HistoryViewQuery(
    string? From = null, string? To = null, string? Kind = null, string? Level = null, string? Status = null, string? Q = null,
    string? SortBy = null, string? Descending = null, string? Page = null, string? PageSize = null);
