using System.Globalization;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// What the Consent history page shows: its filters and page, as its address carries them (<c>from</c>, <c>to</c> as
/// <c>yyyy-MM-dd</c>, <c>action</c>, <c>actor</c>, <c>level</c>, <c>page</c> from 1, <c>pageSize</c>), so that a view
/// can be linked, bookmarked and reloaded. The ledger reads newest first; the defaults are left out of the address.
/// </summary>
public sealed record ConsentHistoryView(
    DateTime? From = null,
    DateTime? To = null,
    string? Action = null,
    string? Actor = null,
    int? Level = null,
    int Page = 1,
    int PageSize = ConsentHistoryView.DefaultPageSize)
{
    public const int DefaultPageSize = 25;

    /// <summary>The page sizes the pager offers.</summary>
    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    /// <summary>The query the ledger takes for page <paramref name="page"/> of <paramref name="pageSize"/>: whole days, the end's included.</summary>
    public ConsentQuery Query(int page, int pageSize) => new(
        From is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
        To is { } to ? DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc) : null,
        Action,
        string.IsNullOrWhiteSpace(Actor) ? null : Actor,
        Level,
        page,
        pageSize);

    /// <summary>
    /// The view an address's query text asks for. A value that is not one the page offers is left out, and
    /// <paramref name="ignored"/> says which and why; nothing here throws.
    /// </summary>
    public static ConsentHistoryView Parse(ConsentHistoryViewQuery query, out IReadOnlyList<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(query);
        var notes = new List<string>();
        var view = new ConsentHistoryView(
            ReadDay(notes, "from", query.From),
            ReadDay(notes, "to", query.To),
            ReadAction(notes, query.Action),
            ReadActor(notes, query.Actor),
            ReadLevel(notes, query.Level),
            ReadNumber(notes, "page", query.Page, n => n >= 1, "1 or more") ?? 1,
            ReadNumber(notes, "pageSize", query.PageSize, PageSizes.Contains, $"one of {string.Join(", ", PageSizes)}") ?? DefaultPageSize);
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
        ["action"] = Action,
        ["actor"] = string.IsNullOrWhiteSpace(Actor) ? null : Actor,
        ["level"] = Level?.ToString(CultureInfo.InvariantCulture),
        ["page"] = Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture),
        ["pageSize"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
    };

    private static DateTime? ReadDay(List<string> notes, string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (DateTime.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return DateTime.SpecifyKind(day, DateTimeKind.Utc);
        }

        notes.Add($"{name} must be a date (yyyy-MM-dd); got \"{raw}\".");
        return null;
    }

    private static string? ReadAction(List<string> notes, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (ConsentActions.All.FirstOrDefault(a => a.Equals(raw, StringComparison.OrdinalIgnoreCase)) is { } action)
        {
            return action;
        }

        notes.Add($"action must be one of {string.Join(", ", ConsentActions.All)}; got \"{raw}\".");
        return null;
    }

    private static string? ReadActor(List<string> notes, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (raw.Length <= 256)
        {
            return raw;
        }

        notes.Add("actor must be at most 256 characters.");
        return null;
    }

    private static int? ReadLevel(List<string> notes, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (TelemetryLevels.TryParse(raw, out var level))
        {
            return (int)level;
        }

        notes.Add(TelemetryLevels.NotALevel("level", $"\"{raw}\""));
        return null;
    }

    private static int? ReadNumber(List<string> notes, string name, string? raw, Func<int, bool> allowed, string what)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && allowed(value))
        {
            return value;
        }

        notes.Add($"{name} must be {what}; got \"{raw}\".");
        return null;
    }
}

/// <summary>The Consent history page's query text as the address gives it, unread.</summary>
public sealed record ConsentHistoryViewQuery(
    string? From = null, string? To = null, string? Action = null, string? Actor = null, string? Level = null, string? Page = null,
    string? PageSize = null);
