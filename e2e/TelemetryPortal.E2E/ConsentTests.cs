using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>Issue 5 as people see it: the admin's level decision, the next send, and support's view of the ledger.</summary>
public sealed partial class ConsentTests(BrowserFixture browser)
{
    private const string SupportPassword = "sam-support-password";

    [Fact]
    public async Task Admin_LowersLevelToOneWithConfirmation_NextSendHasNoEmail_SupportSeesTheDecisionAndAValidChain()
    {
        // Reports come when the test asks, not on the portal's own schedule.
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var admin = await PortalPage.OpenAsync(browser, server);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);

        await admin.GetByRole(AriaRole.Link, new() { Name = "Telemetry level" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Telemetry level", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("current-choice")).ToContainTextAsync("no level has been chosen yet");
        await admin.ScreenshotAsync("level-light");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Choose level 1" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        var change = dialog.GetByRole(AriaRole.Button, new() { Name = "Change to level 1" });
        await Expect(change).ToBeDisabledAsync();
        await dialog.GetByLabel("Reason (optional)").FillAsync("No personal data, please");
        await dialog.GetByText("I have read what level 1 sends and keeps back").ClickAsync();
        await Expect(change).ToBeEnabledAsync();
        await admin.ScreenshotAsync("level-confirm-dialog");
        await change.ClickAsync();

        await Expect(admin.GetByText(new Regex("Level 1 chosen and recorded"))).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("current-choice")).ToContainTextAsync("level 1 (lightweight), chosen by the admin");
        await Expect(admin.GetByTestId("level-option-1")).ToContainTextAsync("In force");

        // The next report goes out at level 1, to the built-in collector, without e-mail addresses.
        await server.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        var dbFactory = server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        TelemetryPayload? snapshot = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            snapshot = await db.Payloads.AsNoTracking().SingleOrDefaultAsync(p => p.Kind == PayloadKind.Snapshot && p.Status == PayloadStatus.Sent);
            return snapshot is not null;
        }, "the snapshot was sent");
        Assert.Equal(1, snapshot!.Level);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var sent = Encoding.UTF8.GetString((await server.Services.GetRequiredService<PayloadStore>().GetAsync(db, snapshot.Sha256, TestContext.Current.CancellationToken))!);
            Assert.DoesNotMatch(Email(), sent);
            Assert.Contains("\"users\"", sent, StringComparison.Ordinal);
        }

        // Support sees the decision, the policy version shown, and a valid chain.
        await server.Services.GetRequiredService<AccountService>().CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword, TestContext.Current.CancellationToken);
        var version = server.Services.GetRequiredService<ConsentPolicies>().For(TelemetryLevel.Lightweight).Version;
        var support = await PortalPage.OpenAsync(browser, server);
        await support.SignInAsync("sam", SupportPassword);
        await support.GetByRole(AriaRole.Link, new() { Name = "Consent history" }).ClickAsync();
        await Expect(support.GetByTestId("chain-status")).ToContainTextAsync("The chain is intact: 3 entries");
        var decision = support.GetByRole(AriaRole.Row).Filter(new() { HasText = "Level chosen" });
        await Expect(decision).ToContainTextAsync("Administrator (admin)");
        await Expect(decision).ToContainTextAsync("No personal data, please");
        await Expect(decision).ToContainTextAsync(version[..12]);
        await Expect(decision.GetByRole(AriaRole.Link, new() { Name = "Download the receipt of entry 2" })).ToBeVisibleAsync();
        await support.ScreenshotAsync("consent-light");

        // The receipt support holds outside the portal pins the history before it: checked on the page.
        var receipt = await server.Services.GetRequiredService<ConsentReceiptService>().GetAsync(2, TestContext.Current.CancellationToken);
        await support.GetByTestId("check-receipt-action").ClickAsync();
        var input = support.GetByLabel("Receipt (JSON or JWS)");
        await input.FillAsync(receipt!.Jws);
        await input.PressAsync("Tab");
        await support.GetByTestId("receipt-check-button").ClickAsync();
        await Expect(support.GetByTestId("receipt-result")).ToContainTextAsync("The receipt is valid");
        await Expect(support.GetByTestId("receipt-check-head")).ToHaveAttributeAsync("data-ok", "true");
        await support.GetByTestId("receipt-check").ScreenshotAsync(new() { Path = Path.Combine(PortalPage.RepositoryRoot(), "artifacts", "screenshots", "consent-receipt-check.png") });

        await decision.GetByRole(AriaRole.Button, new() { Name = $"Show the policy text of version {version[..12]}" }).ClickAsync();
        await Expect(support.GetByTestId("policy-version")).ToHaveTextAsync(version);
        await Expect(support.GetByTestId("policy-text")).ToContainTextAsync("What is kept back");
        await support.ScreenshotAsync("consent-policy-dialog");
        await support.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

        await support.GetByTestId("filter-action").ClickAsync();
        await support.GetByRole(AriaRole.Option, new() { Name = "Effective level changed" }).ClickAsync();
        await Expect(support.GetByRole(AriaRole.Row).Filter(new() { HasText = "Level chosen" })).ToHaveCountAsync(0);
        await Expect(support.GetByRole(AriaRole.Row).Filter(new() { HasText = "Effective level changed" })).ToHaveCountAsync(2);

        await support.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(support.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await support.ScreenshotAsync("consent-dark");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await admin.ScreenshotAsync("level-dark");
    }

    [Fact]
    public async Task LevelAndConsentPages_NarrowScreen_FitTheWidth()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "0", ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var page = await PortalPage.OpenAsync(browser, server, width: 390, height: 844);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        await page.GotoAsync("/telemetry/level");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("pinned-notice")).ToContainTextAsync("CODER_TELEMETRY=0");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Choose level 1" })).ToHaveCountAsync(0);
        await AssertFitsAsync(page, 390);
        await page.ScreenshotAsync("level-narrow-pinned");

        await page.GotoAsync("/consent");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("chain-status")).ToContainTextAsync("The chain is intact: 2 entries");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Pinned by the environment" })).ToHaveCountAsync(1);
        await AssertFitsAsync(page, 390);
        await page.ScreenshotAsync("consent-narrow");
    }

    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"The page is {scrollWidth}px wide on a {width}px screen.");
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
