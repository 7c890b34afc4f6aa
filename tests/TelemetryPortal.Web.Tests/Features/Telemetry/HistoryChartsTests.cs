using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>The daily charts: round ticks, a span that fits the data, the numbers as a table for screen readers.</summary>
[Trait("Database", "Both")]
public sealed class HistoryChartsTests : TelemetrySetup
{
    public HistoryChartsTests()
    {
        UseTelemetry();
        SignInAs(PortalRoles.Support);
    }

    [Theory]
    [InlineData(0, 1, new[] { 0.0, 1, 2 })]
    [InlineData(1, 1, new[] { 0.0, 1, 2 })]
    [InlineData(3, 1, new[] { 0.0, 1, 2, 3 })]
    [InlineData(20, 1, new[] { 0.0, 5, 10, 15, 20 })]
    [InlineData(21, 1, new[] { 0.0, 10, 20, 30 })]
    [InlineData(41, 1, new[] { 0.0, 20, 40, 60 })]
    [InlineData(0.05, 0.1, new[] { 0.0, 0.1, 0.2 })]
    [InlineData(2.3, 0.1, new[] { 0.0, 1, 2, 3 })]
    public void NiceTicks_StepsOfOneTwoOrFive_AtLeastThree(double max, double minStep, double[] expected) =>
        Assert.Equal(expected, ChartScale.NiceTicks(max, minStep));

    [Fact]
    public void NiceTicks_AnyMaximum_CoversItWithAOneTwoFiveStep()
    {
        for (var max = 0; max <= 5000; max += 7)
        {
            var ticks = ChartScale.NiceTicks(max);
            var step = ticks[1] - ticks[0];
            var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
            Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2, 5 });
            Assert.InRange(ticks.Count, 3, 6);
            Assert.True(ticks[^1] >= max, $"{ticks[^1]} < {max}");
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    [InlineData(13, 14)]
    [InlineData(40, 14)]
    public void DaysToShow_FirstPayloadRecent_SpansTheDaysSinceIt(int daysAgo, int expected)
    {
        var today = new DateOnly(2026, 11, 30);
        Assert.Equal(expected, ChartScale.DaysToShow(today, today.AddDays(-daysAgo), 14));
    }

    [Fact]
    public void DaysToShow_NoPayload_SpansTheWholePeriod() => Assert.Equal(14, ChartScale.DaysToShow(new DateOnly(2026, 11, 30), null, 14));

    [Fact]
    public async Task Render_FirstPayloadTwoDaysAgo_ShowsThreeDaysWithRoundTicksAndATable()
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        for (var i = 0; i < 7; i++)
        {
            await AddPayloadAsync(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), PayloadKind.Snapshot, PayloadStatus.Sent, now.Date.AddDays(-2).AddHours(i));
        }

        await AddPayloadAsync(Encoding.UTF8.GetBytes("{\"n\":99}"), PayloadKind.Snapshot, PayloadStatus.Retrying, now.Date.AddHours(1));

        var cut = Render<HistoryCharts>(p => p.Add(c => c.Compact, true));

        cut.WaitForAssertion(() => Assert.Equal("Payloads per day, by status (last 3 days)", cut.Find("[data-testid=chart-payloads-title]").TextContent.Trim()));
        var chart = cut.Find("[data-testid=chart-payloads]");
        Assert.Equal(["0", "2", "4", "6", "8"], chart.QuerySelectorAll(".bar-chart-tick").Select(t => t.TextContent).ToArray());
        Assert.Equal(3, chart.QuerySelectorAll(".bar-chart-x > span").Length);
        Assert.Equal(["Sent", "Retrying"], chart.QuerySelectorAll(".bar-chart-legend li").Select(l => l.TextContent.Trim()).ToArray());
        // The same numbers for screen readers: a row per day, a column per status.
        var rows = chart.QuerySelectorAll("table tbody tr");
        Assert.Equal(3, rows.Length);
        Assert.Equal(["7", "0"], rows[0].QuerySelectorAll("td").Select(c => c.TextContent).ToArray());
        Assert.Equal(["0", "1"], rows[2].QuerySelectorAll("td").Select(c => c.TextContent).ToArray());
        Assert.Equal("true", chart.QuerySelector(".bar-chart-plot")!.GetAttribute("aria-hidden"));
        Assert.Equal(2, chart.QuerySelectorAll("rect").Length);
    }

    [Fact]
    public async Task Render_OnlyAPayloadToday_SaysToday()
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await AddPayloadAsync(Encoding.UTF8.GetBytes("{}"), PayloadKind.Snapshot, PayloadStatus.Sent, now);

        var cut = Render<HistoryCharts>();

        cut.WaitForAssertion(() => Assert.Contains("(today)", cut.Find("[data-testid=chart-payloads-title]").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=chart-kilobytes] .bar-chart-x > span"));
        Assert.Equal(["0", "0.1", "0.2"], cut.FindAll("[data-testid=chart-kilobytes] .bar-chart-tick").Select(t => t.TextContent).ToArray());
    }
}
