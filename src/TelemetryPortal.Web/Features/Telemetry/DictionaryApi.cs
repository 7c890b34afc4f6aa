using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>One field of the data dictionary.</summary>
/// <param name="SentAtLevels">The levels at which the field leaves the installation, highest first.</param>
public sealed record DictionaryEntryResponse(
    string Path, string Kind, string Name, string Shape, string Category, string CategoryLabel,
    string Description, string Purpose, int MinimumLevel, IReadOnlyList<int> SentAtLevels, string? Reason)
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
        [.. TelemetryLevels.All.Where(entry.IsSentAt).Select(l => (int)l)],
        entry.Reason);
}

/// <summary>The fields not yet classified, and how many.</summary>
public sealed record UnclassifiedFieldsResponse(IReadOnlyList<UnclassifiedFieldView> Items)
{
    public int Total => Items.Count;
}

public static class DictionaryApi
{
    /// <summary>The dictionary as CSV: one row per field.</summary>
    public static string ToCsv(DataDictionary dictionary)
    {
        var csv = new System.Text.StringBuilder("path,kind,shape,category,minimum_level,sent_at_levels,description,purpose,reason\n");
        foreach (var e in dictionary.Entries.Select(DictionaryEntryResponse.From))
        {
            csv.AppendJoin(',', e.Path, e.Kind, e.Shape, HistoryExporter.Csv(e.CategoryLabel), e.MinimumLevel,
                string.Join(' ', e.SentAtLevels), HistoryExporter.Csv(e.Description), HistoryExporter.Csv(e.Purpose), HistoryExporter.Csv(e.Reason ?? "")).Append('\n');
        }

        return csv.ToString();
    }

    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        api.MapGet("/dictionary", () => DataDictionary.Default.Entries.Select(DictionaryEntryResponse.From))
            .WithTags("Dictionary")
            .WithName("GetDictionary")
            .WithSummary("Every field the portal may send: its path, what it is, why it is sent and at which levels.");

        api.MapGet("/dictionary/export", (string? format) => (format ?? "csv").ToLowerInvariant() switch
            {
                "csv" => Results.Text(ToCsv(DataDictionary.Default), "text/csv; charset=utf-8"),
                "json" => Results.Json(DataDictionary.Default.Entries.Select(DictionaryEntryResponse.From)),
                _ => HistoryApi.BadRequest($"format must be csv or json; got \"{format}\"."),
            })
            .WithTags("Dictionary")
            .WithName("ExportDictionary")
            .WithSummary("The data dictionary as a file: csv or json.");

        api.MapGet("/dictionary/unclassified", async (UnclassifiedFields fields, CancellationToken ct) =>
                new UnclassifiedFieldsResponse(await fields.ListAsync(ct)))
            .WithTags("Dictionary")
            .WithName("GetUnclassifiedFields")
            .WithSummary("Fields reports carried that the dictionary does not know (a newer Coder): level 1 drops them. First and last seen, how many reports, the JSON type and the Coder version.");

        api.MapGet("/dictionary/levels", () => TelemetryLevels.All.Select(l => new { level = (int)l, summary = LevelSummary.Describe(DataDictionary.Default, l) }))
            .WithTags("Dictionary")
            .WithName("GetLevelSummaries")
            .WithSummary("One paragraph per level saying what it sends and what it keeps back, generated from the dictionary.");
        return api;
    }
}
