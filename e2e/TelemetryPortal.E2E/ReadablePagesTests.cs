using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>
/// The dashboard's chart, Preview and What we collect read well at desktop and phone widths, in both themes:
/// round ticks at 12px or more over the days there is data for, identifiers on one line, compared levels opened together.
/// </summary>
public sealed class ReadablePagesTests(BrowserFixture browser)
{
    /// <summary>A portal whose first payload was captured five days ago (so the chart spans six days).</summary>
    private static async Task<PortalServer> StartWithAWeekOfReportsAsync()
    {
        var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        for (var i = 0; i < 3; i++)
        {
            await scheduler.ReportAsync(CancellationToken.None);
        }

        var dbFactory = server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var ids = await db.Payloads.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
        for (var i = 0; i < 4; i++)
        {
            var daysAgo = 5 - i;
            await db.Payloads.Where(p => p.Id == ids[i]).ExecuteUpdateAsync(u => u.SetProperty(p => p.CapturedAt, p => p.CapturedAt.AddDays(-daysAgo)));
        }

        return server;
    }

    private static async Task UseThemeAsync(IPage page, bool dark)
    {
        var switchTo = page.GetByRole(AriaRole.Button, new() { Name = dark ? "Switch to dark mode" : "Switch to light mode" });
        if (await switchTo.CountAsync() > 0)
        {
            await switchTo.ClickAsync();
        }

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = dark ? "Switch to light mode" : "Switch to dark mode" })).ToBeVisibleAsync();
    }

    /// <summary>What the screen shows (the full-page shots of long pages are too tall to read).</summary>
    private static async Task ViewportScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalPage.RepositoryRoot(), "artifacts", "screenshots", $"{name}.png") });

    private static async Task AssertFitsTheScreenAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{page.Url} is {overflow}px wider than the screen.");
    }

    [Theory]
    [InlineData(1440)]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Dashboard_Chart_SpansTheDaysWithData_WithRoundReadableTicks(int width)
    {
        await using var server = await StartWithAWeekOfReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: width, height: 900);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        foreach (var dark in new[] { false, true })
        {
            await page.GotoAsync("/");
            await page.WaitForCircuitAsync();
            await UseThemeAsync(page, dark);
            var chart = page.GetByTestId("chart-payloads");
            await Expect(page.GetByTestId("chart-payloads-title")).ToHaveTextAsync("Payloads per day, by status (last 6 days)");
            await Expect(chart.Locator(".bar-chart-x > span")).ToHaveCountAsync(6);
            var ticks = await chart.Locator(".bar-chart-tick").AllTextContentsAsync();
            Assert.True(ticks.Count >= 3, string.Join(", ", ticks));
            Assert.Equal("0", ticks[0]);
            // The smallest text of the chart: its ticks, day labels and legend.
            var smallest = await chart.EvaluateAsync<double>(
                "c => Math.min(...[...c.querySelectorAll('.bar-chart-tick, .bar-chart-x > span, .bar-chart-legend li')].map(e => parseFloat(getComputedStyle(e).fontSize)))");
            Assert.True(smallest >= 12, $"Chart text of {smallest}px.");
            Assert.True(await chart.Locator("rect").CountAsync() >= 4);

            // The deployment id on one line, whole in its title.
            var id = page.GetByTestId("deployment-id");
            var text = await id.TextContentAsync();
            await Expect(id).ToHaveAttributeAsync("title", text!);
            var box = await id.EvaluateAsync<string>("e => `${e.getBoundingClientRect().height} ${getComputedStyle(e).lineHeight} ${getComputedStyle(e).whiteSpace}`");
            var lines = await id.EvaluateAsync<double>("e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)");
            Assert.True(lines < 1.6, $"The deployment id takes {lines} lines ({box}).");
            await AssertFitsTheScreenAsync(page);
            await page.ScreenshotAsync($"dashboard-charts-{width}-{(dark ? "dark" : "light")}");
        }
    }

    [Theory]
    [InlineData(1440)]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Preview_ComparedLevels_OpenTogether_AndControlsKeepClearOfTheirBorder(int width)
    {
        await using var server = await StartWithAWeekOfReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: width, height: 900);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        foreach (var dark in new[] { false, true })
        {
            await page.GotoAsync("/telemetry/preview");
            await page.WaitForCircuitAsync();
            await UseThemeAsync(page, dark);
            var full = page.GetByTestId("compare-level-2");
            var light = page.GetByTestId("compare-level-1");
            await Expect(light.GetByRole(AriaRole.Button, new() { Name = "\"users\"" })).ToHaveAttributeAsync("aria-expanded", "false");

            await full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" }).ClickAsync();

            await Expect(light.GetByRole(AriaRole.Button, new() { Name = "\"users\"" })).ToHaveAttributeAsync("aria-expanded", "true");
            await light.Locator(".json-children .json-children > .json-node > .json-toggle").First.ClickAsync();
            await Expect(full.Locator(".json-children .json-children > .json-node > .json-toggle").First).ToHaveAttributeAsync("aria-expanded", "true");
            await Expect(full.Locator(".json-badge").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ fields removed or masked at level 1$"));
            await Expect(page.GetByTestId("preview-counts")).ToContainTextAsync("sent only at level 2");
            await Expect(page.GetByTestId("compare-level-0")).ToHaveTextAsync("Nothing is sent: no request is made to the vendor.");

            // Every control sits at least 8px inside the bar's border.
            var tooClose = await page.Locator(".preview-controls").EvaluateAsync<string[]>(
                """
                bar => {
                  const outer = bar.getBoundingClientRect();
                  return [...bar.querySelectorAll('.mud-toggle-group, .mud-switch, :scope > .mud-button-root')].filter(e => {
                    const r = e.getBoundingClientRect();
                    return Math.min(r.left - outer.left, outer.right - r.right, r.top - outer.top, outer.bottom - r.bottom) < 8;
                  }).map(e => `${e.className}: ${JSON.stringify(e.getBoundingClientRect())} in ${JSON.stringify(outer)}`);
                }
                """);
            Assert.Empty(tooClose);
            // No segment's text is cut or touches its border.
            var cramped = await page.Locator(".preview-controls .mud-toggle-item").EvaluateAllAsync<string[]>(
                """
                items => items.filter(i => {
                  const label = i.querySelector('.mud-button-label') ?? i;
                  const outer = i.getBoundingClientRect(), text = label.getBoundingClientRect();
                  return i.scrollWidth > i.clientWidth || text.left - outer.left < 6 || outer.right - text.right < 6;
                }).map(i => i.textContent.trim())
                """);
            Assert.Empty(cramped);
            await AssertFitsTheScreenAsync(page);
            await page.ScreenshotAsync($"preview-compare-{width}-{(dark ? "dark" : "light")}");
            await ViewportScreenshotAsync(page, $"preview-compare-{width}-{(dark ? "dark" : "light")}-viewport");
        }
    }

    [Theory]
    [InlineData(1440)]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task WhatWeCollect_FieldPaths_OnOneLine(int width)
    {
        await using var server = new PortalServer();
        var page = await PortalPage.OpenAsync(browser, server, width: width, height: 900);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        foreach (var dark in new[] { false, true })
        {
            await page.GotoAsync("/telemetry/dictionary");
            await page.WaitForCircuitAsync();
            await UseThemeAsync(page, dark);
            await Expect(page.GetByTestId("level-summary-1")).ToContainTextAsync("IP address (");
            var paths = page.GetByTestId("dictionary-grid").Locator("tbody code.identifier");
            await Expect(paths).ToHaveCountAsync(25);
            var tallest = await paths.EvaluateAllAsync<double>("es => Math.max(...es.map(e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)))");
            Assert.True(tallest < 1.6, $"A field path takes {tallest} lines.");
            await AssertFitsTheScreenAsync(page);
            await page.ScreenshotAsync($"what-we-collect-{width}-{(dark ? "dark" : "light")}");
            await ViewportScreenshotAsync(page, $"what-we-collect-{width}-{(dark ? "dark" : "light")}-viewport");
        }
    }
}
