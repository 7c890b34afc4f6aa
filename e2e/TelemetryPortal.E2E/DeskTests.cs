using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.Core.Licensing;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Licensing.Desk;
using TelemetryPortal.Web.Features.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>
/// Issue 16: the installation and the vendor's desk as two portals on loopback. The desk holds the signing key; the
/// installation trusts only the desk's public key (no development keys) and knows the desk by <c>Licensing:DeskUrl</c>.
/// </summary>
public sealed class DeskTests(BrowserFixture browser)
{
    private const string CustomerPassword = "cora-customer-password";
    private const string SupportPassword = "sam-support-password";
    private const string Reason = "Our regulator forbids any telemetry from this network.";

    private sealed record Keys(string Private, string Public);

    private static Keys NewKeys()
    {
        using var key = LicenseKeys.Create();
        return new Keys(LicenseKeys.PrivatePem(key), LicenseKeys.PublicPem(key));
    }

    private static async Task<PortalServer> StartDeskAsync(Keys keys, int port = 0, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Licensing:SigningKey"] = keys.Private,
            ["Licensing:SigningKeyId"] = "vendor-desk-1",
            ["Licensing:DevelopmentKeys"] = "false",
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var desk = new PortalServer(settings, port);
        await desk.Services.GetRequiredService<AccountService>().CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword);
        return desk;
    }

    private static async Task<PortalServer> StartInstallationAsync(Keys keys, string? deskUrl)
    {
        var installation = new PortalServer(new Dictionary<string, string?>
        {
            ["Licensing:DevelopmentKeys"] = "false",
            ["Licensing:TrustedKeys:0:KeyId"] = "vendor-desk-1",
            ["Licensing:TrustedKeys:0:PublicKey"] = keys.Public,
            ["Licensing:DeskUrl"] = deskUrl,
            // Fast backoff, so that the tests wait seconds, not minutes; they wait on what the page says, never on a clock.
            ["Licensing:DeskRetryBaseDelay"] = "00:00:00.200",
            ["Licensing:DeskRetryMaxDelay"] = "00:00:01",
            ["Licensing:DeskPollBaseDelay"] = "00:00:00.200",
            ["Licensing:DeskPollMaxDelay"] = "00:00:01",
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
        });
        await installation.Services.GetRequiredService<AccountService>().CreateAsync("cora", "Cora Customer", PortalRoles.Customer, CustomerPassword);
        return installation;
    }

    private async Task<IPage> CustomerFillsTheFormAsync(PortalServer installation, string? deploymentId = null)
    {
        var customer = await PortalPage.OpenAsync(browser, installation);
        await customer.SignInAsync("cora", CustomerPassword);
        await customer.GetByRole(AriaRole.Link, new() { Name = "Request a license" }).ClickAsync();
        await customer.GetByLabel("Organisation").FillAsync("Initech");
        await customer.GetByLabel("Contact e-mail").FillAsync("cora@initech.example");
        await customer.GetByLabel("Reason").FillAsync(Reason);
        if (deploymentId is not null)
        {
            await customer.GetByLabel("Deployment id").FillAsync(deploymentId);
        }

        return customer;
    }

    private static async Task ConfirmSendingAsync(IPage customer, PortalServer? desk, string? screenshot = null)
    {
        await customer.GetByRole(AriaRole.Button, new() { Name = "Review and send request" }).ClickAsync();
        var dialog = customer.GetByRole(AriaRole.Dialog);
        if (desk is not null)
        {
            await Expect(dialog.GetByTestId("desk-address")).ToHaveTextAsync($"{desk.BaseUrl}/desk/requests");
        }

        await Expect(dialog.GetByTestId("desk-body")).ToContainTextAsync("\"contactEmail\": \"cora@initech.example\"");
        if (screenshot is not null)
        {
            await ScreenshotsAsync(customer, screenshot, dark: false);
            await AccessibilityTests.AssertNoViolationsAsync(customer, "the confirmation of what leaves for the desk");
        }

        await dialog.GetByTestId("confirm-send-to-desk").ClickAsync();
    }

    private async Task<IPage> SupportOpensTheQueueAsync(PortalServer desk)
    {
        var support = await PortalPage.OpenAsync(browser, desk);
        await support.SignInAsync("sam", SupportPassword);
        await support.GetByRole(AriaRole.Link, new() { Name = "License requests" }).ClickAsync();
        return support;
    }

    private static async Task ApproveAsync(IPage support, int id)
    {
        await support.GetByRole(AriaRole.Button, new() { Name = $"Approve request {id}" }).ClickAsync();
        await support.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
        await Expect(support.GetByText($"Request #{id} approved; the license was signed.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task CustomerFiles_SupportApprovesOnTheDesk_LicenseComesBackAndApplies_AdminChoosesZero_NothingMoreIsSent()
    {
        var keys = NewKeys();
        await using var desk = await StartDeskAsync(keys);
        await using var installation = await StartInstallationAsync(keys, desk.BaseUrl);

        // The customer sees exactly what leaves and to where, and confirms.
        var customer = await CustomerFillsTheFormAsync(installation);
        await Expect(customer.GetByTestId("desk-path")).ToContainTextAsync($"{desk.BaseUrl}/desk/requests");
        await ConfirmSendingAsync(customer, desk, "desk-confirm-what-leaves");
        await Expect(customer.GetByTestId("desk-status")).ToContainTextAsync("At the vendor's desk, waiting for the decision");
        await ScreenshotsAsync(customer, "desk-request-at-desk");

        // Support sees where it came from and its history, and approves.
        var support = await SupportOpensTheQueueAsync(desk);
        await Expect(support.GetByTestId("review-table")).ToContainTextAsync("Initech");
        await Expect(support.GetByTestId("request-source")).ToHaveTextAsync("Online");
        await support.GetByRole(AriaRole.Button, new() { Name = "History of request 1" }).ClickAsync();
        await Expect(support.GetByTestId("request-history")).ToContainTextAsync("received online from 127.0.0.1");
        await ScreenshotsAsync(support, "desk-review-queue");
        await AccessibilityTests.AssertNoViolationsAsync(support, "the desk's review queue with a history open");
        await ApproveAsync(support, 1);

        // The license comes back by itself, verified and applied; the customer's page follows.
        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Approved");
        await Expect(customer.GetByTestId("desk-status")).ToContainTextAsync("its decision came back");

        // The admin is prompted on the dashboard and chooses level 0.
        var admin = await PortalPage.OpenAsync(browser, installation);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await Expect(admin.GetByTestId("level-zero-prompt")).ToContainTextAsync("Level 0 is available.");
        await admin.GetByTestId("choose-level-zero").ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByTestId("confirm-level").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Change to level 0" }).ClickAsync();
        await Expect(admin.GetByTestId("effective-level")).ToHaveTextAsync("0");
        await admin.GetByRole(AriaRole.Link, new() { Name = "License", Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("license-state")).ToHaveTextAsync("Valid");
        await Expect(admin.GetByTestId("license-status")).Not.ToContainTextAsync("Development license");

        // Nothing more reaches the telemetry endpoint.
        var dbFactory = installation.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        int receiptsBefore;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            receiptsBefore = await db.CollectorReceipts.CountAsync();
        }

        await installation.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await installation.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var payloads = await db.Payloads.AsNoTracking().ToListAsync();
            Assert.NotEmpty(payloads);
            Assert.All(payloads, p => Assert.Equal(PayloadStatus.Suppressed, p.Status));
            Assert.Equal(receiptsBefore, await db.CollectorReceipts.CountAsync());
            var actions = await db.ConsentLedger.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
            Assert.Equal(["LicenseRequested", "LicenseApproved", "LicenseApplied", "LevelChosen"],
                actions.Where(a => a is "LicenseRequested" or "LicenseApproved" or "LicenseApplied" or "LevelChosen"));
        }
    }

    [Fact]
    public async Task Renewal_OfferedOnTheDashboardBeforeExpiry_PrefilledFromTheLicense_TakesTheSamePath()
    {
        var keys = NewKeys();
        await using var desk = await StartDeskAsync(keys);
        await using var installation = await StartInstallationAsync(keys, desk.BaseUrl);

        // A first license for one day: a short license warns in its last quarter, at least its last day, so at once.
        var customer = await CustomerFillsTheFormAsync(installation);
        await customer.GetByLabel("Term (days)").FillAsync("1");
        await ConfirmSendingAsync(customer, desk);
        await Expect(customer.GetByTestId("desk-status")).ToContainTextAsync("At the vendor's desk");
        var support = await SupportOpensTheQueueAsync(desk);
        await ApproveAsync(support, 1);
        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Approved");

        // The admin is offered a renewal, filled in from the license in force and its original request.
        var admin = await PortalPage.OpenAsync(browser, installation);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await Expect(admin.GetByTestId("license-expiry-warning")).ToBeVisibleAsync();
        await ScreenshotsAsync(admin, "desk-renewal-offered");
        await admin.GetByTestId("request-renewal").ClickAsync();
        await Expect(admin.GetByTestId("renewal-prefilled")).ToContainTextAsync("Initech");
        await Expect(admin.GetByLabel("Organisation")).ToHaveValueAsync("Initech");
        await Expect(admin.GetByLabel("Contact e-mail")).ToHaveValueAsync("cora@initech.example");
        await Expect(admin.GetByLabel("Term (days)")).ToHaveValueAsync("1");
        await Expect(admin.GetByLabel("Reason")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Renewal of zero-telemetry license "));
        await ScreenshotsAsync(admin, "desk-renewal-prefilled");
        await ConfirmSendingAsync(admin, desk);
        await Expect(admin.GetByTestId("desk-status")).ToContainTextAsync("At the vendor's desk");

        // Support grants a year; the new license replaces the old one and the warning goes.
        await support.ReloadAsync();
        await support.WaitForCircuitAsync();
        await support.GetByRole(AriaRole.Button, new() { Name = "Approve request 2" }).ClickAsync();
        await support.GetByRole(AriaRole.Dialog).GetByLabel("Term to grant (days)").FillAsync("365");
        await support.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
        await Expect(admin.GetByTestId("request-status")).ToHaveTextAsync("Approved");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(admin.GetByTestId("level-zero-prompt")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("license-expiry-warning")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task DeskDownWhileFiling_WaitsAndRetries_DeliveredOnceUp_DenialShowsTheDesksReason()
    {
        var keys = NewKeys();
        var port = PortalServer.FreePort();
        await using var installation = await StartInstallationAsync(keys, $"http://127.0.0.1:{port}");

        var customer = await CustomerFillsTheFormAsync(installation);
        await ConfirmSendingAsync(customer, null);
        var status = customer.GetByTestId("desk-status");
        await Expect(status).ToContainTextAsync("Waiting to reach the vendor");
        await Expect(status).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Tried ([2-9]|\\d{2,}) times"));
        await customer.DismissSnackbarsAsync();
        await ScreenshotsAsync(customer, "desk-waiting-to-reach-the-vendor");
        await AccessibilityTests.AssertNoViolationsAsync(customer, "a request waiting to reach the vendor");

        // The desk comes up where the installation expects it: the request is delivered without anyone doing anything.
        await using var desk = await StartDeskAsync(keys, port);
        await Expect(status).ToContainTextAsync("At the vendor's desk");

        var support = await SupportOpensTheQueueAsync(desk);
        await support.GetByRole(AriaRole.Button, new() { Name = "Deny request 1" }).ClickAsync();
        var dialog = support.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Reason the requester will see").FillAsync("Level 0 is for enterprise plans; yours is a team plan.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();

        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Denied");
        await Expect(customer.GetByText("Denied: Level 0 is for enterprise plans; yours is a team plan.")).ToBeVisibleAsync();
        await ScreenshotsAsync(customer, "desk-denied-with-reason");
    }

    [Fact]
    public async Task AirGapped_RequestFileImportedOnTheDesk_LicenseFileUploadedOnTheInstallation()
    {
        var keys = NewKeys();
        await using var desk = await StartDeskAsync(keys);
        await using var installation = await StartInstallationAsync(keys, deskUrl: null);
        var files = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "telemetry-portal-e2e", Guid.NewGuid().ToString("N"))).FullName;

        // The customer files and exports: nothing leaves the installation.
        var customer = await CustomerFillsTheFormAsync(installation);
        await Expect(customer.GetByTestId("file-path")).ToContainTextAsync("sends nothing to the vendor");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(customer.GetByTestId("request-status")).ToHaveTextAsync("Pending");
        var export = await customer.RunAndWaitForDownloadAsync(() => customer.GetByRole(AriaRole.Button, new() { Name = "Export" }).ClickAsync());
        var requestFile = Path.Combine(files, export.SuggestedFilename);
        await export.SaveAsAsync(requestFile);

        // Support imports the file, approves and downloads the license file.
        var support = await SupportOpensTheQueueAsync(desk);
        await support.Locator("#request-file").SetInputFilesAsync(requestFile);
        await Expect(support.GetByTestId("request-source")).ToHaveTextAsync("File");
        await ApproveAsync(support, 1);
        var download = await support.RunAndWaitForDownloadAsync(() => support.GetByRole(AriaRole.Button, new() { Name = "Download license of request 1" }).ClickAsync());
        var licenseFile = Path.Combine(files, download.SuggestedFilename);
        await download.SaveAsAsync(licenseFile);
        await ScreenshotsAsync(support, "desk-imported-file-approved");

        // The admin uploads it on the installation.
        var admin = await PortalPage.OpenAsync(browser, installation);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await admin.GetByRole(AriaRole.Link, new() { Name = "License", Exact = true }).ClickAsync();
        await admin.Locator("#license-file").SetInputFilesAsync(licenseFile);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Apply", Exact = true }).ClickAsync();
        await Expect(admin.GetByTestId("license-state")).ToHaveTextAsync("Valid");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(admin.GetByTestId("level-zero-prompt")).ToContainTextAsync("Level 0 is available.");
        Directory.Delete(files, recursive: true);
    }

    [Fact]
    public async Task LicenseForAnotherDeployment_RefusedByTheInstallation_WithTheReason()
    {
        var keys = NewKeys();
        await using var desk = await StartDeskAsync(keys);
        await using var installation = await StartInstallationAsync(keys, desk.BaseUrl);
        var other = Guid.NewGuid().ToString();

        var customer = await CustomerFillsTheFormAsync(installation, other);
        await ConfirmSendingAsync(customer, desk);
        await Expect(customer.GetByTestId("desk-status")).ToContainTextAsync("At the vendor's desk");
        var support = await SupportOpensTheQueueAsync(desk);
        await ApproveAsync(support, 1);

        await Expect(customer.GetByTestId("desk-status")).ToContainTextAsync("The license the desk sent is not applied");
        await Expect(customer.GetByTestId("desk-status")).ToContainTextAsync("deployment");
        await ScreenshotsAsync(customer, "desk-license-for-another-deployment");
        var admin = await PortalPage.OpenAsync(browser, installation);
        await admin.SignInAsync("admin", PortalServer.AdminPassword);
        await Expect(admin.GetByTestId("level-zero-prompt")).ToHaveCountAsync(0);
        await using var db = await installation.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.AppliedLicenses.CountAsync());
        Assert.Contains("LicenseRefused", await db.ConsentLedger.Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task WrongSecret_SameNotFoundAsAnUnknownId_AndAFloodIsRateLimited()
    {
        var keys = NewKeys();
        await using var desk = await StartDeskAsync(keys, more: new Dictionary<string, string?> { ["Licensing:DeskFilingsPerMinute"] = "5" });
        using var http = new HttpClient { BaseAddress = new Uri(desk.BaseUrl) };
        var filing = new
        {
            organisation = "Initech",
            contactName = "Cora Customer",
            contactEmail = "cora@initech.example",
            deploymentId = Guid.NewGuid(),
            reason = Reason,
            termDays = 90,
        };

        var created = await http.PostAsJsonAsync("/desk/requests", filing, TestContext.Current.CancellationToken);
        var receipt = (await created.Content.ReadFromJsonAsync<DeskReceipt>(TestContext.Current.CancellationToken))!;
        async Task<(HttpStatusCode, string)> AskAsync(Guid id, string secret)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, $"/desk/requests/{id}");
            message.Headers.Add(LicenseDeskService.SecretHeader, secret);
            using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            return (response.StatusCode, problem.TryGetProperty("detail", out var detail) ? detail.GetString()! : problem.GetProperty("status").GetString()!);
        }

        var right = await AskAsync(receipt.Id, receipt.Secret);
        var wrong = await AskAsync(receipt.Id, "not-the-secret");
        var unknown = await AskAsync(Guid.NewGuid(), receipt.Secret);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await http.PostAsJsonAsync("/desk/requests", filing, TestContext.Current.CancellationToken)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "Pending"), right);
        Assert.Equal((HttpStatusCode.NotFound, LicenseDeskService.NoSuchRequest), wrong);
        Assert.Equal(wrong, unknown);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Created, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>Light at 1440 and 390 px; then, unless a dialog is open, dark at both (axe-checked) through the theme switch, and back.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name, bool dark = true)
    {
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync($"{name}-{width}");
        }

        if (dark)
        {
            await page.SetViewportSizeAsync(1440, 900);
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
            foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.ScreenshotAsync($"{name}-{width}-dark");
                await AccessibilityTests.AssertNoViolationsAsync(page, $"{name}, dark, {width} px");
            }

            await page.SetViewportSizeAsync(1440, 900);
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" })).ToBeVisibleAsync();
        }

        await page.SetViewportSizeAsync(1280, 860);
    }
}
