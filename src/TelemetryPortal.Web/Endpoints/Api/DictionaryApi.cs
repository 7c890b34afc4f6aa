using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Endpoints.Api;

/// <summary>One field of the data dictionary.</summary>
/// <param name="SentAtLevels">The levels at which the field leaves the installation, highest first.</param>
public sealed record DictionaryEntryResponse(
    string Path, string Kind, string Name, string Shape, string Category, string CategoryLabel,
    string Description, string Purpose, int MinimumLevel, IReadOnlyList<int> SentAtLevels)
{
    public static DictionaryEntryResponse From(DictionaryEntry entry) => new(
        entry.Path,
        PayloadKinds.Name(entry.Kind),
        entry.Name,
        entry.Shape.ToString(),
        entry.Category.ToString(),
        FieldCategories.Label(entry.Category),
        entry.Description,
        entry.Purpose,
        (int)entry.MinimumLevel,
        [.. TelemetryLevels.All.Where(entry.IsSentAt).Select(l => (int)l)]);
}

public static class DictionaryApi
{
    public static RouteGroupBuilder MapDictionaryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dictionary", () => DataDictionary.Default.Entries.Select(DictionaryEntryResponse.From))
            .WithTags("Dictionary")
            .WithName("GetDictionary")
            .WithSummary("Every field the portal may send: its path, what it is, why it is sent and at which levels.");
        return api;
    }
}
