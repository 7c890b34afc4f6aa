using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>Issue 15's handoff: support approves a license, the admin is told on the dashboard, chooses 0 there, and nothing more leaves.</summary>
public sealed class HandoffTests(BrowserFixture browser)
{
    [Fact]
    public async Task SupportApproves_AdminSeesThePrompt_ChoosesZeroThroughIt_SendNowSendsNothing()
    {
        await using var server = new PortalServer(new Dictionary<string, string?>
        {
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
        });
        var accounts = server.Services.GetRequiredService<AccountService>();
        await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, "cora-customer-password");
        await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, "sam-support-password");

        // The customer asks.
        var customer = await PortalPage.OpenAsync(browser, server);
        await customer.SignInAsync("cora", "cora-customer-password");
        await customer.GetByRole(AriaRole.Link, new() { Name = "Request a license" }).ClickAsync();
        await customer.GetByLabel("Organisation").FillAsync("Initech");
        await customer.GetByLabel("Contact e-mail").FillAsync("cora@initech.example");
        await customer.GetByLabel("Reason").FillAsync("Our regulator forbids any telemetry from this network.");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Pending");

        // Support approves: the license is applied to this portal.
        var support = await PortalPage.OpenAsync(browser, server);
        await support.SignInAsync("sam", "sam-support-password");
        await support.GetByRole(AriaRole.Link, new() { Name = "License requests" }).ClickAsync();
        await support.GetByRole(AriaRole.Button, new() { Name = "Approve request 1" }).ClickAsync();
        await support.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
        await Expect(support.GetByText("Request #1 approved; the license was signed.")).ToBeVisibleAsync();

        // Support reads the handoff on the dashboard but cannot act on it.
        await support.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(support.GetByTestId("level-zero-admin-only")).ToBeVisibleAsync();
        await Expect(support.GetByTestId("choose-level-zero")).ToHaveCountAsync(0);

        // The admin is told on the dashboard that level 0 can now be chosen.
        var admin = await PortalPage.OpenAsync(browser, server);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await Expect(admin.GetByTestId("level-zero-prompt")).ToContainTextAsync("Level 0 is available.");
        await Expect(admin.GetByTestId("effective-level")).Not.ToHaveTextAsync("0");
        await ScreenshotsAsync(admin, "handoff-dashboard-prompt-light");
        await AccessibilityTests.AssertNoViolationsAsync(admin, "dashboard with the level-0 prompt (light)");
        var adminId = (await accounts.ListAsync()).Single(a => a.UserName == "admin").Id;
        await accounts.SetPrefersDarkModeAsync(adminId, true);
        await admin.ReloadAsync();
        await admin.WaitForCircuitAsync();
        await Expect(admin.GetByTestId("level-zero-prompt")).ToBeVisibleAsync();
        await ScreenshotsAsync(admin, "handoff-dashboard-prompt-dark");
        await AccessibilityTests.AssertNoViolationsAsync(admin, "dashboard with the level-0 prompt (dark)");

        // One click, the usual confirmation, and level 0 is in force.
        await admin.GetByTestId("choose-level-zero").ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("to level 0");
        await dialog.GetByTestId("confirm-level").ClickAsync();
        await admin.ScreenshotAsync("handoff-confirm-level-zero");
        await AccessibilityTests.AssertNoViolationsAsync(admin, "level-0 confirmation from the dashboard (dark)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Change to level 0" }).ClickAsync();
        await Expect(admin.GetByTestId("effective-level")).ToHaveTextAsync("0");
        await Expect(admin.GetByTestId("level-zero-prompt")).ToHaveCountAsync(0);
        await Expect(admin.GetByText("Level 0 chosen and recorded")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("handoff-level-zero-in-force");

        // Send now says that nothing leaves, and the built-in collector gets nothing.
        var dbFactory = server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        int receiptsBefore;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            receiptsBefore = await db.CollectorReceipts.CountAsync();
        }

        await admin.GetByRole(AriaRole.Link, new() { Name = "Preview" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send now" }).ClickAsync();
        await Expect(admin.GetByText(TelemetryScheduler.NothingLeaves)).ToBeVisibleAsync();
        await Expect(admin.GetByText("within seconds")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("handoff-send-now-level-zero");

        // The report is captured and kept back: wait for both payloads, then let the sender run once more.
        await Eventually.WaitUntilAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            return await db.Payloads.CountAsync() >= 2;
        }, "the report asked for by Send now is captured");
        await server.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var payloads = await db.Payloads.AsNoTracking().ToListAsync();
            Assert.NotEmpty(payloads);
            Assert.All(payloads, p => Assert.Equal(PayloadStatus.Suppressed, p.Status));
            Assert.Equal(receiptsBefore, await db.CollectorReceipts.CountAsync());
        }
    }

    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        foreach (var (width, height) in new[] { (1440, 900), (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync($"{name}-{width}");
        }

        await page.SetViewportSizeAsync(1280, 860);
    }
}
