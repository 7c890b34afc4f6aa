using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>The admin's API tokens page, and every page under the content security policy.</summary>
public sealed class ApiTokenPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_CreatesCopiesUsesAndRevokesAToken()
    {
        await using var server = new PortalServer();
        var page = await PortalPage.OpenAsync(browser, server);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = server.BaseUrl });
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API tokens" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("nightly export");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var shown = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Token nightly export (Support)" });
        await Expect(shown).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^tp_[A-Za-z0-9_-]{43}$"));
        var token = await shown.InputValueAsync();
        await page.ScreenshotAsync("tokens-created");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Copy token" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Copy token" })).ToHaveTextAsync("Copied");
        Assert.Equal(token, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "nightly export" });
        await Expect(row).ToContainTextAsync("Support");
        await Expect(row).ToContainTextAsync(token[..11]);
        await Expect(page.GetByText(token)).ToHaveCountAsync(0); // shown once, never again

        var api = await page.Context.APIRequest.GetAsync($"{server.BaseUrl}/api/v1/history", new() { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" } });
        Assert.Equal(200, api.Status);
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(row.GetByRole(AriaRole.Cell).Nth(5)).Not.ToHaveTextAsync("never");
        await page.ScreenshotAsync("tokens-light");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke token nightly export" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByText("Token \"nightly export\" revoked.")).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Revoked");
        var refused = await page.Context.APIRequest.GetAsync($"{server.BaseUrl}/api/v1/history", new() { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" } });
        Assert.Equal(401, refused.Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("tokens-dark");
        await AccessibilityTests.AssertNoViolationsAsync(page, "tokens (dark)");
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync("tokens-narrow-dark");
        page.AssertNoCspViolations();
    }

    [Fact]
    public async Task EveryPage_UnderTheContentSecurityPolicy_RunsInteractivelyWithoutViolations()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var scheduler = server.Services.GetRequiredService<TelemetryScheduler>();
        await scheduler.ReportAsync(CancellationToken.None);
        var page = await PortalPage.OpenAsync(browser, server);
        await page.GotoAsync("/account/login");
        var response = await page.GotoAsync("/account/login");
        Assert.Contains("frame-ancestors 'none'", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        foreach (var path in new[] { "/", "/telemetry/preview", "/telemetry/history", "/telemetry/history/1", "/telemetry/dictionary", "/admin/accounts", "/admin/tokens", "/account/access-denied" })
        {
            await page.GotoAsync(path);
            if (path != "/account/access-denied")
            {
                await page.WaitForCircuitAsync();
                // The circuit works: the theme toggle answers.
                await page.GetByTestId("theme-toggle").ClickAsync();
                await Expect(page.Locator(".portal-dark")).ToBeAttachedAsync();
                await page.GetByTestId("theme-toggle").ClickAsync();
                await Expect(page.Locator(".portal-light")).ToBeAttachedAsync();
            }
        }

        page.AssertNoCspViolations();
    }
}
