using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.E2E;

/// <summary>axe finds no serious or critical violation on the pages, in light and dark.</summary>
public sealed class AccessibilityTests(BrowserFixture browser)
{
    [Fact]
    public async Task Pages_HaveNoSeriousAccessibilityViolations()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(CancellationToken.None);
        await scheduler.ReportAsync(CancellationToken.None);
        var page = await PortalPage.OpenAsync(browser, server);
        await page.GotoAsync("/account/login");
        await AssertNoSeriousViolationsAsync(page, "sign-in");

        await page.SignInAsync("admin", PortalServer.AdminPassword);
        foreach (var path in new[] { "/", "/admin/accounts", "/admin/tokens", "/telemetry/level", "/consent", "/telemetry/preview", "/telemetry/history", "/telemetry/dictionary", "/telemetry/history/1", "/telemetry/history/compare?from=1&to=3", "/license", "/licenses/request", "/licenses/review" })
        {
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
            await AssertNoSeriousViolationsAsync(page, path);
        }

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, $"{page.Url} (dark)");
        foreach (var path in new[] { "/telemetry/level", "/consent" })
        {
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
            await AssertNoSeriousViolationsAsync(page, $"{path} (dark)");
        }

        await page.GotoAsync("/telemetry/level");
        await page.WaitForCircuitAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Choose level 0" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Dialog)).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "level confirmation dialog (dark)");
    }

    internal static async Task AssertNoSeriousViolationsAsync(Microsoft.Playwright.IPage page, string name)
    {
        await page.WaitForTransitionsAsync();
        var result = await page.RunAxe();
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{name}: {string.Join(Environment.NewLine, serious)}");
    }
}
