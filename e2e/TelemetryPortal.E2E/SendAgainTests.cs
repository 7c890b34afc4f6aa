using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>A payload the endpoint refused says why, and an admin sends it again from its page, after confirming.</summary>
public sealed class SendAgainTests(BrowserFixture browser)
{
    [Fact]
    public async Task RejectedPayload_AdminSendsItAgainFromItsPage_ItIsSent()
    {
        await using var server = new PortalServer(new Dictionary<string, string?> { ["Telemetry:FirstReportDelay"] = "1.00:00:00" });
        var ct = TestContext.Current.CancellationToken;
        await server.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(ct);
        var factory = server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        async Task<PayloadStatus> SnapshotStatusAsync()
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            return await db.Payloads.Where(p => p.Kind == PayloadKind.Snapshot).Select(p => p.Status).SingleAsync(ct);
        }

        await Eventually.WaitUntilAsync(async () => await SnapshotStatusAsync() == PayloadStatus.Sent, "the snapshot sent to the built-in collector");
        long id;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            // As a receiver with a lower body limit would have left it.
            id = await db.Payloads.Where(p => p.Kind == PayloadKind.Snapshot).Select(p => p.Id).SingleAsync(ct);
            await db.Payloads.Where(p => p.Id == id).ExecuteUpdateAsync(
                s => s.SetProperty(p => p.Status, PayloadStatus.Rejected).SetProperty(p => p.LastError, "HTTP 413 Payload Too Large"), ct);
        }

        var page = await PortalPage.OpenAsync(browser, server, width: 1280);
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        await page.GotoAsync($"/telemetry/history/{id}");
        await page.WaitForCircuitAsync();
        var notice = page.GetByTestId("rejected-notice");
        await Expect(notice).ToContainTextAsync("The endpoint refused this payload: HTTP 413 Payload Too Large");
        await AccessibilityTests.AssertNoViolationsAsync(page, "rejected payload");
        await page.ScreenshotAsync("payload-rejected");

        await notice.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("same idempotency key");
        await AccessibilityTests.AssertNoViolationsAsync(page, "send again confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Expect(page.GetByText($"Payload {id} is back in the queue.")).ToBeVisibleAsync();

        await Eventually.WaitUntilAsync(async () => await SnapshotStatusAsync() == PayloadStatus.Sent, "the snapshot sent again");
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("rejected-notice")).ToHaveCountAsync(0);
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await page.ScreenshotAsync("payload-sent-again-narrow-dark");
        page.AssertNoCspViolations();
    }
}
