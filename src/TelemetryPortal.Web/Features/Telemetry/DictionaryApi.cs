using Microsoft.AspNetCore.Http.HttpResults;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Endpoints;

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

/// <summary>One field reports carried that the dictionary does not know.</summary>
/// <param name="JsonType">The JSON type of the value last seen.</param>
/// <param name="Reports">How many reports carried it.</param>
/// <param name="CoderVersion">The <c>X-Coder-Version</c> of the last report that carried it.</param>
public sealed record UnclassifiedFieldResponse(string Path, string Kind, string JsonType, DateTime FirstSeenAt, DateTime LastSeenAt, long Reports, string? CoderVersion)
{
    public static UnclassifiedFieldResponse From(UnclassifiedFieldView f) => new(f.Path, f.Kind, f.JsonType, f.FirstSeenAt, f.LastSeenAt, f.Reports, f.CoderVersion);
}

/// <summary>The fields not yet classified, and how many.</summary>
public sealed record UnclassifiedFieldsResponse(IReadOnlyList<UnclassifiedFieldResponse> Items)
{
    public int Total => Items.Count;

    public static UnclassifiedFieldsResponse From(IReadOnlyList<UnclassifiedFieldView> fields) => new([.. fields.Select(UnclassifiedFieldResponse.From)]);
}

/// <summary>What one level sends and keeps back, in one paragraph generated from the dictionary.</summary>
public sealed record LevelSummaryResponse(int Level, string Summary)
{
    public static LevelSummaryResponse From(TelemetryLevel level) => new((int)level, LevelSummary.Describe(DataDictionary.Default, level));
}

/// <summary>The data dictionary under <c>/api/v1/dictionary</c> (every role).</summary>
public static class DictionaryApi
{
    /// <summary>The dictionary as CSV: one row per field.</summary>
    public static string ToCsv(DataDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
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
        var dictionary = api.MapGroup("/dictionary").WithTags("Dictionary").RequireAccess(Audience.AnyRole);

        dictionary.MapGet("", GetEntries)
            .WithName("GetDictionary")
            .WithSummary("Every field the portal may send: its path, what it is, why it is sent and at which levels.");

        dictionary.MapGet("/export", Export)
            .WithName("ExportDictionary")
            .WithSummary("The data dictionary as a file: csv or json.");

        dictionary.MapGet("/unclassified", GetUnclassifiedAsync)
            .WithName("GetUnclassifiedFields")
            .WithSummary("Fields reports carried that the dictionary does not know (a newer Coder): level 1 drops them. First and last seen, how many reports, the JSON type and the Coder version.");

        dictionary.MapGet("/levels", GetLevelSummaries)
            .WithName("GetLevelSummaries")
            .WithSummary("One paragraph per level saying what it sends and what it keeps back, generated from the dictionary.");
        return api;
    }

    private static Ok<DictionaryEntryResponse[]> GetEntries() => TypedResults.Ok(Entries());

    private static Results<ContentHttpResult, JsonHttpResult<DictionaryEntryResponse[]>, ProblemHttpResult> Export(string? format) =>
        (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => TypedResults.Text(ToCsv(DataDictionary.Default), "text/csv; charset=utf-8"),
            "json" => TypedResults.Json(Entries()),
            _ => Problems.Invalid($"format must be csv or json; got \"{format}\"."),
        };

    private static async Task<Ok<UnclassifiedFieldsResponse>> GetUnclassifiedAsync(UnclassifiedFields fields, CancellationToken ct) =>
        TypedResults.Ok(UnclassifiedFieldsResponse.From(await fields.ListAsync(ct)));

    private static Ok<LevelSummaryResponse[]> GetLevelSummaries() => TypedResults.Ok(TelemetryLevels.All.Select(LevelSummaryResponse.From).ToArray());

    private static DictionaryEntryResponse[] Entries() => [.. DataDictionary.Default.Entries.Select(DictionaryEntryResponse.From)];
}
