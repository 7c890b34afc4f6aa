namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The y-axis of a chart: round ticks that people read at a glance.</summary>
public static class ChartScale
{
    private static readonly double[] Multipliers = [1, 2, 5, 10];

    /// <summary>
    /// Ticks from 0 to at least <paramref name="max"/> in steps of 1, 2 or 5 times a power of ten, about four
    /// intervals and never fewer than two (so at least three ticks), each step at least <paramref name="minStep"/>
    /// (1 for counts, which have no fractions).
    /// </summary>
    public static IReadOnlyList<double> NiceTicks(double max, double minStep = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minStep);
        max = double.IsFinite(max) && max > 0 ? max : 0;
        var raw = Math.Max(max / 4, minStep);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = Multipliers.Select(m => m * magnitude).First(s => s >= raw * (1 - 1e-9));
        var intervals = Math.Max(2, (int)Math.Ceiling((max / step) - 1e-9));
        return [.. Enumerable.Range(0, intervals + 1).Select(i => Math.Round(i * step, 10))];
    }

    /// <summary>How many days a daily chart should span: <paramref name="days"/>, or fewer when the first payload is more recent.</summary>
    public static int DaysToShow(DateOnly today, DateOnly? firstPayload, int days) =>
        firstPayload is { } first ? Math.Clamp(today.DayNumber - first.DayNumber + 1, 1, days) : days;
}

/// <summary>One stacked part of a bar chart: a name, a CSS colour and one value per bar.</summary>
public sealed record ChartBarSeries(string Name, string Color, IReadOnlyList<double> Values);
