using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>The admin previews what leaves at each level, opens what was sent, compares two sends and exports.</summary>
public sealed class TransparencyTests(BrowserFixture browser)
{
    private static async Task<PortalServer> StartWithTwoReportsAsync()
    {
        var server = new PortalServer(new Dictionary<string, string?>
        {
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
            ["Telemetry:Simulation:Users"] = "12",
            ["Telemetry:Simulation:Workspaces"] = "20",
        });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(CancellationToken.None);
        await scheduler.ReportAsync(CancellationToken.None);
        return server;
    }

    [Fact]
    public async Task Admin_PreviewsEachLevel_SeesEmailRemovedAtLevelOne()
    {
        await using var server = await StartWithTwoReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: 1600);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Preview", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview", Exact = true })).ToBeVisibleAsync();

        // Compare view: level 2 with level 1's changes highlighted.
        var full = page.GetByTestId("compare-level-2");
        await full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" }).ClickAsync();
        await full.Locator(".json-children .json-children > .json-node > .json-toggle").First.ClickAsync();
        var email = full.Locator(".json-line.json-removed", new() { HasText = "\"email\"" }).First;
        await Expect(email).ToBeVisibleAsync();
        await Expect(email).ToContainTextAsync("Removed at level 1");
        await Expect(email).ToContainTextAsync(new System.Text.RegularExpressions.Regex("e-mail", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        await page.ScreenshotAsync("preview-compare");

        await page.Locator(".mud-toggle-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Level 1$") }).ClickAsync();
        var light = page.GetByTestId("preview-json");
        await light.GetByRole(AriaRole.Button, new() { Name = "\"users\"" }).ClickAsync();
        await light.Locator(".json-children .json-children > .json-node > .json-toggle").First.ClickAsync();
        await Expect(light.Locator(".json-key", new() { HasText = "\"id\"" }).First).ToBeVisibleAsync();
        await Expect(light).Not.ToContainTextAsync("\"email\"");
        await Expect(light).Not.ToContainTextAsync("@");

        await page.Locator(".mud-toggle-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Level 0$") }).ClickAsync();
        await Expect(page.GetByTestId("preview-level-0")).ToContainTextAsync("nothing leaves this installation");

        await page.Locator(".mud-toggle-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Level 2$") }).ClickAsync();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Raw bytes" }).ClickAsync();
        await Expect(page.GetByTestId("preview-json")).ToContainTextAsync("\"email\":");
    }

    [Fact]
    public async Task Admin_OpensANodeOfAPreviewThatNewerCapturesReplaced_IsToldSo_RefreshShowsTheCurrentOne()
    {
        await using var server = await StartWithTwoReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: 1280);
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Preview", Exact = true }).ClickAsync();
        var full = page.GetByTestId("compare-level-2");
        await Expect(full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" })).ToBeVisibleAsync();

        // Meanwhile four newer captures are previewed (other admins, other kinds): the one this page shows is pushed out.
        var previews = server.Services.GetRequiredService<PreviewService>();
        for (var i = 0; i < 4; i++)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes($$"""{"deployment_id":"newer-{{i}}","users":[]}""");
            await previews.ApplyAsync(new PreviewSource(PayloadKind.Snapshot, new MemoryByteSource(bytes), TelemetrySource.CoderProxy, "v2", null), TelemetryPortal.Core.Telemetry.TelemetryLevel.Full);
        }

        await full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" }).ClickAsync();
        await Expect(full).ToContainTextAsync("This preview was replaced by newer captures and is no longer kept. Refresh the preview to see what would leave now.");
        await Expect(page.GetByText("An unhandled error has occurred")).Not.ToBeVisibleAsync();
        await page.ScreenshotAsync("preview-replaced");
        // The same notice on a phone, in dark mode.
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await Expect(full).ToContainTextAsync("This preview was replaced by newer captures");
        await page.ScreenshotAsync("preview-replaced-narrow-dark");
        await page.SetViewportSizeAsync(1280, 860);

        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await full.GetByRole(AriaRole.Button, new() { Name = "\"users\"" }).ClickAsync();
        await Expect(full.Locator(".json-children .json-children > .json-node > .json-toggle").First).ToBeVisibleAsync();
        await Expect(full).Not.ToContainTextAsync("replaced by newer captures");
    }

    [Fact]
    public async Task Admin_OpensASentPayload_ComparesTwo_AndExports()
    {
        await using var server = await StartWithTwoReportsAsync();
        var page = await PortalPage.OpenAsync(browser, server, width: 1400);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "History", Exact = true }).ClickAsync();
        var grid = page.GetByTestId("history-grid");
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(4);
        // The built-in collector takes them: all four end up sent.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(grid.Locator("tbody tr", new() { HasText = "Sent" })).ToHaveCountAsync(4);
        await page.ScreenshotAsync("history");

        var snapshots = grid.Locator("tbody tr", new() { HasText = "snapshot" });
        await snapshots.Nth(0).Locator("input[type=checkbox]").CheckAsync();
        await snapshots.Nth(1).Locator("input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();
        await Expect(page.GetByTestId("diff-summary")).ToContainTextAsync("changed");
        await page.ScreenshotAsync("history-compare");

        await page.GotoAsync("/telemetry/history");
        await page.WaitForCircuitAsync();
        var firstId = await grid.Locator("tbody tr").First.GetByRole(AriaRole.Link).GetAttributeAsync("href");
        await grid.Locator("tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Payload {firstId!.Split('/').Last()}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("detail-sha256")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await page.ScreenshotAsync("history-detail");

        await page.GotoAsync("/telemetry/history");
        await page.WaitForCircuitAsync();
        await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(4);
        var download = await page.RunAndWaitForDownloadAsync(async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Export" }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Metadata (CSV)" }).ClickAsync();
        });
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv");
        await download.SaveAsAsync(path);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("id,captured_at,kind", lines[0], StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public async Task Admin_OpensAPayloadWhoseStoredBytesAreDamaged_SeesTheRecordAndWhatIsWrong()
    {
        await using var server = await StartWithTwoReportsAsync();
        // The second snapshot is stored as a delta against the first; damage it on disk.
        long id;
        string sha;
        var dbFactory = server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            (id, sha) = await db.Payloads.Where(p => p.Kind == PayloadKind.Snapshot).OrderByDescending(p => p.Id)
                .Select(p => new ValueTuple<long, string>(p.Id, p.Sha256)).FirstAsync();
            var content = await db.PayloadContents.SingleAsync(c => c.Sha256 == sha);
            Assert.Equal(ContentEncoding.ZstdDelta, content.Encoding);
            var damaged = content.Compressed.ToArray();
            damaged[damaged.Length / 2] ^= 0x44;
            await db.PayloadContents.Where(c => c.Sha256 == sha).ExecuteUpdateAsync(u => u.SetProperty(c => c.Compressed, damaged));
        }

        var page = await PortalPage.OpenAsync(browser, server, width: 1400);
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        await page.GotoAsync($"/telemetry/history/{id}");
        await page.WaitForCircuitAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Payload {id}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("detail-sha256")).ToHaveTextAsync(sha);
        await Expect(page.GetByTestId("detail-damaged")).ToContainTextAsync("damaged");
        await Expect(page.GetByTestId("detail-damaged")).ToContainTextAsync(sha);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download bytes" })).ToBeDisabledAsync();
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.ScreenshotAsync("history-detail-damaged");

        // Comparing it with the previous snapshot says why it cannot be done.
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare with previous" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The stored bytes are damaged, so the two cannot be compared");
        await Expect(page.GetByTestId("diff-summary")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("history-compare-damaged");
    }

    [Fact]
    public async Task WhatWeCollect_SearchesTheDictionary()
    {
        await using var server = new PortalServer();
        var page = await PortalPage.OpenAsync(browser, server);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "What we collect" }).ClickAsync();
        await Expect(page.GetByTestId("level-summary-1")).ToContainTextAsync("keeps back");
        await page.GetByLabel("Search").FillAsync("email_hashed");
        await Expect(page.GetByTestId("dictionary-grid").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("dictionary-grid").Locator("tbody tr")).ToContainTextAsync("level 2 only");
        await page.ScreenshotAsync("what-we-collect");
    }
}

/// <summary>The transparency, account and license pages on a phone-sized screen, in dark mode: readable, nothing wider than the screen.</summary>
public sealed class NarrowDarkTests(BrowserFixture browser)
{
    [Fact]
    public async Task Pages_NarrowAndDark_FitTheScreen()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(CancellationToken.None);
        await scheduler.ReportAsync(CancellationToken.None);
        var page = await PortalPage.OpenAsync(browser, server, width: 390, height: 844);
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();

        foreach (var (path, name) in new[]
        {
            ("/", "dashboard"), ("/telemetry/preview", "preview"), ("/telemetry/history", "history"),
            ("/telemetry/dictionary", "what-we-collect"), ("/telemetry/history/2", "history-detail"),
            ("/telemetry/history/compare?from=2&to=4", "history-compare"),
            ("/admin/accounts", "accounts"), ("/license", "license"), ("/licenses/request", "license-request"),
            ("/licenses/review", "license-review"),
        })
        {
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await page.ScreenshotAsync($"narrow-dark-{name}");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a 390px screen.");
        }
    }
}
