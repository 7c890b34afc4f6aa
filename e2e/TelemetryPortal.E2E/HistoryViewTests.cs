using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>History fits a laptop's width; History's and Consent history's filtered views are links that survive a reload.</summary>
public sealed class HistoryViewTests(BrowserFixture browser)
{
    private static async Task<PortalServer> StartWithReportsAsync()
    {
        var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(CancellationToken.None);
        await scheduler.ReportAsync(CancellationToken.None);
        return server;
    }

    private static async Task SwitchToDarkAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
    }

    /// <summary>How far the page and the grid's own scroll container are wider than what they show (0 or less: no sideways scroll).</summary>
    private static Task<int[]> OverflowAsync(IPage page, string grid) => page.EvaluateAsync<int[]>(
        """
        grid => {
          const page = document.scrollingElement;
          const container = document.querySelector(`[data-testid=${grid}] .mud-table-container`);
          return [page.scrollWidth - page.clientWidth, container.scrollWidth - container.clientWidth];
        }
        """, grid);

    [Fact]
    public async Task History_At1280_HasNoSidewaysScroll_AndTheOpenActionIsInView()
    {
        await using var server = await StartWithReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: 1280, height: 800);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await page.GotoAsync("/telemetry/history");
        await page.WaitForCircuitAsync();
        var rows = page.GetByTestId("history-grid").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(4);
        var overflow = await OverflowAsync(page, "history-grid");
        Assert.True(overflow[0] <= 0, $"The page scrolls {overflow[0]}px sideways at 1280px.");
        Assert.True(overflow[1] <= 0, $"The grid scrolls {overflow[1]}px sideways at 1280px.");
        var open = rows.First.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Open payload \\d+$") });
        // Below the charts at 800px high: scrolled down to, never sideways.
        await open.EvaluateAsync("e => e.scrollIntoView({ block: 'center' })");
        await Expect(open).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollX"));
        var right = await open.EvaluateAsync<double[]>("e => [e.getBoundingClientRect().right, e.closest('.mud-table-container').getBoundingClientRect().right]");
        Assert.True(right[0] <= right[1], $"Open ends at {right[0]}px, past the grid's edge at {right[1]}px.");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync("history-1280-light");
        await Expect(page.GetByTestId("hidden-columns")).ToHaveTextAsync("Hidden columns: HTTP, Attempts, Size (⚙ › Columns shows them).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Columns", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Columns" }).ClickAsync();
        var size = page.GetByRole(AriaRole.Switch, new() { Name = "Size", Exact = true });
        await Expect(size).Not.ToBeCheckedAsync();
        await page.ScreenshotAsync("history-columns-panel");
        await size.CheckAsync();
        await Expect(page.GetByTestId("history-grid").Locator("thead th", new() { HasText = "Size" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("hidden-columns")).ToHaveTextAsync("Hidden columns: HTTP, Attempts (⚙ › Columns shows them).");
        // The panel closes on a click outside it (here on the page's heading).
        await page.Mouse.ClickAsync(300, 105);
        await Expect(size).ToBeHiddenAsync();
        overflow = await OverflowAsync(page, "history-grid");
        Assert.True(overflow[1] <= 0, $"With the size shown, the grid scrolls {overflow[1]}px sideways at 1280px.");

        // The hash: one line, cut with an ellipsis, whole on hover and on the clipboard.
        var hash = rows.First.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy the SHA-256 of payload \\d+: [0-9a-f]{64}$") });
        var full = await hash.Locator("code").TextContentAsync();
        Assert.Matches("^[0-9a-f]{64}$", full);
        await Expect(hash).ToHaveAttributeAsync("title", $"{full} (click to copy)");
        await hash.ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Copied the SHA-256 of payload");
        Assert.Equal(full, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        // Copying does not open the row.
        Assert.EndsWith("/telemetry/history", page.Url, StringComparison.Ordinal);

        await SwitchToDarkAsync(page);
        await page.ScreenshotAsync("history-1280-dark");
        await page.SetViewportSizeAsync(1440, 900);
        await page.ScreenshotAsync("history-1440-dark");
        overflow = await OverflowAsync(page, "history-grid");
        Assert.True(overflow[0] <= 0 && overflow[1] <= 0, $"History scrolls sideways at 1440px: {overflow[0]}, {overflow[1]}.");
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync("history-390-dark");
        File.WriteAllText("/tmp/history-grid.html", await page.GetByTestId("history-grid").InnerHTMLAsync());
    }

    [Fact]
    public async Task History_AFilteredLink_SurvivesAReload()
    {
        await using var server = await StartWithReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: 1280, height: 800);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        // A link someone shared: snapshots only.
        await page.GotoAsync("/telemetry/history?kind=snapshot");
        await page.WaitForCircuitAsync();
        var grid = page.GetByTestId("history-grid");
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(grid.Locator("tbody tr", new() { HasText = "deployment" })).ToHaveCountAsync(0);

        // Narrowed further and sorted here: the address follows, replacing its entry.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Status" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Sent", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/telemetry/history\\?kind=snapshot&status=Sent$"));
        await grid.Locator("thead th", new() { HasText = "Level" }).Locator(".sortable-column-header").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/telemetry/history\\?kind=snapshot&status=Sent&sortBy=level&descending=false$"));
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(2);

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/telemetry/history\\?kind=snapshot&status=Sent&sortBy=level&descending=false$"));
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(grid.Locator("tbody tr", new() { HasText = "deployment" })).ToHaveCountAsync(0);
        await Expect(page.Locator("div.mud-select[id]").Filter(new() { Has = page.GetByRole(AriaRole.Combobox, new() { Name = "Status" }) })).ToContainTextAsync("Sent");
        await Expect(grid.Locator("thead th", new() { HasText = "Level" })).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(page.GetByTestId("query-notice")).ToHaveCountAsync(0);

        // A link with a value the page does not offer: the rest applies, and a notice says what was ignored.
        await page.GotoAsync("/telemetry/history?kind=snapshot&level=7");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("query-notice")).ToContainTextAsync("level must be 0, 1 or 2; got \"7\"");
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/telemetry/history\\?kind=snapshot$"));
        await page.ScreenshotAsync("history-link-notice");
    }

    [Fact]
    public async Task ConsentHistory_AFilteredLink_SurvivesAReload()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var levels = server.Services.GetRequiredService<TelemetryLevelService>();
        foreach (var (level, actor) in new[] { (TelemetryLevel.Lightweight, "Ada Lovelace (ada)"), (TelemetryLevel.Full, "Administrator (admin)"), (TelemetryLevel.Lightweight, "Ada Lovelace (ada)") })
        {
            await levels.ChooseAsync(level, new ConsentActor("1", actor, "Admin"), CollectionMethods.Web, null, ct: TestContext.Current.CancellationToken);
        }

        var page = await PortalPage.OpenAsync(browser, server, width: 1280, height: 800);
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        await page.GotoAsync("/consent?action=LevelChosen");
        await page.WaitForCircuitAsync();
        var rows = page.GetByTestId("consent-grid").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);

        await page.GetByLabel("Actor").FillAsync("ada");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consent\\?action=LevelChosen&actor=ada$"));
        await Expect(rows).ToHaveCountAsync(2);
        await page.ScreenshotAsync("consent-history-1280-light");

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consent\\?action=LevelChosen&actor=ada$"));
        await Expect(page.GetByLabel("Actor")).ToHaveValueAsync("ada");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "Administrator (admin)" })).ToHaveCountAsync(0);

        // The head hash stays one token, whole on hover.
        var head = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy the ledger's head hash: [0-9a-f]{64}$") });
        await Expect(head).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^[0-9a-f]{64} \\(click to copy\\)$"));
        var lines = await page.GetByTestId("head-hash").EvaluateAsync<double>("e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)");
        Assert.True(lines < 1.5, $"The head hash takes {lines} lines.");

        await SwitchToDarkAsync(page);
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync("consent-history-390-dark");
        var overflow = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth");
        Assert.True(overflow <= 0, $"Consent history is {overflow}px wider than a 390px screen.");
    }
}
