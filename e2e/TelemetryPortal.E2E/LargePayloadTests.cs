using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>
/// Preview of a large simulated installation (a snapshot of tens of megabytes): the first screen comes in a sensible
/// time, the tree opens and pages a 20,000-item array a hundred at a time, the raw view pages by windows; the portal's
/// memory (this process hosts it) is reported before and after.
/// </summary>
public sealed partial class LargePayloadTests(BrowserFixture browser)
{
    [GeneratedRegex(@"^Show 100 more \(101–200 of 20,000\)$")]
    private static partial Regex SecondPage();

    [GeneratedRegex(@"^Bytes 1–65,53\d of [\d,]+$")]
    private static partial Regex FirstWindow();

    [GeneratedRegex(@"^Bytes 65,53\d–131,0\d\d of [\d,]+$")]
    private static partial Regex SecondWindow();

    private static async Task UseThemeAsync(IPage page, bool dark)
    {
        var switchTo = page.GetByRole(AriaRole.Button, new() { Name = dark ? "Switch to dark mode" : "Switch to light mode" });
        if (await switchTo.CountAsync() > 0)
        {
            await switchTo.ClickAsync();
        }

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = dark ? "Switch to light mode" : "Switch to dark mode" })).ToBeVisibleAsync();
    }

    /// <summary>This process's resident memory now and at its peak (it hosts the portal), from /proc.</summary>
    private static string Memory()
    {
        var status = File.ReadAllLines("/proc/self/status");
        string Field(string name) => status.Single(l => l.StartsWith(name, StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        return $"VmRSS {Field("VmRSS")}, VmHWM {Field("VmHWM")}";
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine($"[large preview] {line}");

    [Fact]
    public async Task Preview_LargeSnapshot_OpensPagesAndWindowsTheTree()
    {
        await using var server = new PortalServer(new Dictionary<string, string?>
        {
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
            ["Telemetry:Simulation:Users"] = "20000",
            ["Telemetry:Simulation:Workspaces"] = "50000",
        });
        var page = await PortalPage.OpenAsync(browser, server, width: 1440, height: 900);
        page.SetDefaultTimeout(60_000);
        // Capturing and redacting tens of megabytes takes seconds on two shared cores: waits here allow a minute.
        SetDefaultExpectTimeout(60_000);
        try
        {
            await BrowseAsync(page);
        }
        finally
        {
            SetDefaultExpectTimeout(5_000);
        }
    }

    private static async Task BrowseAsync(IPage page)
    {
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        Report($"before: {Memory()}");

        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/telemetry/preview");
        await page.WaitForCircuitAsync();
        var full = page.GetByTestId("compare-level-2");
        var light = page.GetByTestId("compare-level-1");
        await Expect(full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" })).ToContainTextAsync("20,000 items");
        await Expect(light.GetByRole(AriaRole.Button, new() { Name = "\"users\"" })).ToContainTextAsync("20,000 items");
        Report($"first screen (capture, redaction at each level, both trees' first level): {clock.ElapsedMilliseconds} ms; " +
            $"level 2 is {await page.Locator(".mud-chip").First.InnerTextAsync()}; {Memory()}");
        await Expect(full.Locator(".json-tree > .json-node > .json-toggle .json-badge")).ToHaveTextAsync(new Regex(@"^[\d]+ fields removed or masked at level 1$"));

        // Open the users at level 2: the first hundred, at both levels, and a button for the next hundred.
        clock.Restart();
        await full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" }).ClickAsync();
        var users = full.Locator(".json-tree > .json-node > .json-children > .json-node > .json-children > .json-node");
        await Expect(users).ToHaveCountAsync(100);
        await Expect(light.Locator(".json-tree > .json-node > .json-children > .json-node > .json-children > .json-node")).ToHaveCountAsync(100);
        Report($"users opened at both levels: {clock.ElapsedMilliseconds} ms");
        var more = full.GetByRole(AriaRole.Button, new() { NameRegex = SecondPage() });
        await Expect(more).ToBeVisibleAsync();

        // The next hundred, from the keyboard.
        clock.Restart();
        await more.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(users).ToHaveCountAsync(200);
        Report($"next hundred: {clock.ElapsedMilliseconds} ms");
        await users.Nth(150).Locator("> .json-toggle").ClickAsync();
        await Expect(full.Locator(".json-line.json-removed", new() { HasText = "\"email\"" }).First).ToBeVisibleAsync();
        await Expect(light.Locator(".json-tree > .json-node > .json-children > .json-node > .json-children > .json-node").Nth(150).Locator("> .json-toggle"))
            .ToHaveAttributeAsync("aria-expanded", "true");

        foreach (var width in new[] { 1440, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            foreach (var dark in new[] { false, true })
            {
                await UseThemeAsync(page, dark);
                // The opened user and, below the second hundred, the button for the third.
                await full.Locator("button.json-more").ScrollIntoViewIfNeededAsync();
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(PortalPage.RepositoryRoot(), "artifacts", "screenshots", $"large-preview-tree-{width}-{(dark ? "dark" : "light")}.png"),
                });
            }
        }

        // Raw bytes: a window at a time, with previous and next.
        await page.SetViewportSizeAsync(1440, 900);
        await UseThemeAsync(page, dark: false);
        clock.Restart();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Raw bytes" }).ClickAsync();
        var window = full.GetByTestId("raw-window");
        await Expect(window).ToHaveTextAsync(FirstWindow());
        await Expect(full.Locator("pre.json-raw")).ToContainTextAsync("\"deployment_id\":");
        await full.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Next ") }).ClickAsync();
        await Expect(window).ToHaveTextAsync(SecondWindow());
        Report($"raw: first and second windows: {clock.ElapsedMilliseconds} ms");
        foreach (var width in new[] { 1440, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            foreach (var dark in new[] { false, true })
            {
                await UseThemeAsync(page, dark);
                await window.ScrollIntoViewIfNeededAsync();
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(PortalPage.RepositoryRoot(), "artifacts", "screenshots", $"large-preview-raw-{width}-{(dark ? "dark" : "light")}.png"),
                });
            }
        }

        await full.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Previous ") }).ClickAsync();
        await Expect(window).ToHaveTextAsync(FirstWindow());
        Report($"after: {Memory()}");
        page.AssertNoCspViolations();
    }
}
