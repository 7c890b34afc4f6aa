using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Dictionary;

/// <summary>One paragraph per level, generated from the dictionary, so it cannot drift from what the redactor does.</summary>
public static class LevelSummary
{
    public static string Describe(DataDictionary dictionary, TelemetryLevel level)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var fields = dictionary.Entries.Where(e => e.CarriesValues).ToList();
        var sent = fields.Count(f => f.IsSentAt(level));
        if (level == TelemetryLevel.Off)
        {
            return $"Level 0 sends nothing: none of the {fields.Count} fields leaves this installation, and no request is made to the vendor. It needs a zero-telemetry license.";
        }

        var withheld = fields.Where(f => !f.IsSentAt(level))
            .GroupBy(f => f.Category)
            .OrderByDescending(g => g.Count())
            .Select(g => $"{FieldCategories.Label(g.Key)} ({g.Count()})")
            .ToList();
        // The labels keep their own case ("IP address"), and the categories listed are the ones counted.
        var sentCategories = fields.Where(f => f.IsSentAt(level))
            .GroupBy(f => f.Category)
            .OrderByDescending(g => g.Count())
            .Select(g => FieldCategories.Label(g.Key))
            .ToList();
        var categories = sentCategories.Count;
        return level == TelemetryLevel.Full
            ? $"Level 2 sends all {fields.Count} fields in {categories} categories, including those that identify people and organisations: e-mail addresses, IP addresses, external account ids and license keys."
            : $"Level 1 sends {sent} of {fields.Count} fields ({categories} {(categories == 1 ? "category" : "categories")}: {List(sentCategories)}). It keeps back {List(withheld)}, drops any field the dictionary does not know, and masks e-mail and IP addresses found in the text it sends.";
    }

    private static string List(List<string> items) =>
        items.Count < 2 ? string.Join("", items) : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";
}
