using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>Issue 6, three roles in one story: the customer requests, support approves, level 0 takes effect and nothing leaves.</summary>
public sealed class LicensingTests(BrowserFixture browser)
{
    [Fact]
    public async Task CustomerRequests_SupportApproves_AdminSeesLevelZero_CollectorGetsNothing_HistoryShowsEveryStep()
    {
        await using var server = new PortalServer(new Dictionary<string, string?>
        {
            ["Telemetry:Level"] = "0",
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
        await customer.ScreenshotAsync("license-request");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Pending");

        // Support approves.
        var support = await PortalPage.OpenAsync(browser, server);
        await support.SignInAsync("sam", "sam-support-password");
        await support.GetByRole(AriaRole.Link, new() { Name = "License requests" }).ClickAsync();
        await Expect(support.GetByTestId("review-table")).ToContainTextAsync("Initech");
        await support.ScreenshotAsync("license-review");
        await support.GetByRole(AriaRole.Button, new() { Name = "Approve request 1" }).ClickAsync();
        await support.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
        await Expect(support.GetByText("Request #1 approved; the license was signed.")).ToBeVisibleAsync();

        // The admin sees level 0 in force, from a development license.
        var admin = await PortalPage.OpenAsync(browser, server);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await Expect(admin.GetByTestId("effective-level")).ToHaveTextAsync("0");
        await admin.GetByRole(AriaRole.Link, new() { Name = "License", Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("license-state")).ToHaveTextAsync("Valid");
        await Expect(admin.GetByTestId("license-status")).ToContainTextAsync("Development license");
        await admin.ScreenshotAsync("license-status");

        // A license file that is not one: uploaded through the button, refused with the reason, nothing changes.
        var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.jwt");
        await File.WriteAllTextAsync(file, "not-a-license", TestContext.Current.CancellationToken);
        await Expect(admin.GetByText("Upload license file")).ToBeVisibleAsync();
        await admin.Locator("#license-file").SetInputFilesAsync(file);
        await Expect(admin.GetByLabel("License token")).ToHaveValueAsync("not-a-license");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Apply", Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("apply-verdict")).Not.ToBeEmptyAsync();
        await Expect(admin.GetByTestId("license-state")).ToHaveTextAsync("Valid");
        await admin.ScreenshotAsync("license-upload-refused");
        File.Delete(file);

        // A report now is kept back: the built-in collector receives nothing.
        var dbFactory = server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await server.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await server.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var payloads = await db.Payloads.AsNoTracking().ToListAsync();
            Assert.Equal(2, payloads.Count);
            Assert.All(payloads, p => Assert.Equal(PayloadStatus.Suppressed, p.Status));
            Assert.Equal(0, await db.CollectorReceipts.CountAsync());
        }

        // The customer sees the approval; support sees every step in the consent history.
        await customer.ReloadAsync();
        await customer.WaitForCircuitAsync();
        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Approved");
        await support.GetByRole(AriaRole.Link, new() { Name = "Consent history" }).ClickAsync();
        foreach (var step in new[] { "License requested", "License approved", "License applied", "Effective level changed" })
        {
            await Expect(support.GetByText(step, new() { Exact = true }).First).ToBeVisibleAsync();
        }

        await support.ScreenshotAsync("license-consent-history");
    }
}
