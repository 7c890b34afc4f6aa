using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.E2E.Infrastructure;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>What the admin sees of payloads the level overtook: one superseded by a copy at the lower level, one never kept at 0.</summary>
public sealed class LevelDropTests(BrowserFixture browser)
{
    private static readonly ConsentActor s_admin = new("1", "Administrator (admin)", "Admin");

    [Fact]
    public async Task QueuedPayloads_AfterTheLevelDrops_SaySupersededAndNotKept()
    {
        // A vendor nobody answers: the level-2 reports wait in the outbox.
        await using var server = new PortalServer(new Dictionary<string, string?>
        {
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
            ["Telemetry:Endpoint"] = $"http://127.0.0.1:{PortalServer.FreePort()}",
            ["Telemetry:RetryBaseDelay"] = "00:10:00",
            ["Telemetry:RequestRetryDelay"] = "00:00:00.010",
        });
        var services = server.Services;
        var ct = TestContext.Current.CancellationToken;
        await services.GetRequiredService<TelemetryScheduler>().ReportAsync(ct);
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await Eventually.WaitUntilAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Payloads.CountAsync(p => p.Status == PayloadStatus.Retrying) == 2;
        }, "two level-2 payloads waiting");

        await services.GetRequiredService<TelemetryLevelService>().ChooseAsync(TelemetryLevel.Lightweight, s_admin, CollectionMethods.Web, "Lower", ct: ct);
        // Then a zero-telemetry license and level 0: the copies at level 1 are not sent either, and not kept.
        var licenses = services.GetRequiredService<LicenseService>();
        var deployment = await services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync(ct);
        var request = await licenses.RequestAsync(new("Initech", "Cora Customer", "cora@initech.example", deployment, "Our regulator forbids telemetry here.", 90), s_admin, ct: ct);
        await licenses.ApproveAsync(request.Id, 90, s_admin, ct: ct);
        await services.GetRequiredService<TelemetryLevelService>().ChooseAsync(TelemetryLevel.Off, s_admin, CollectionMethods.Web, "Zero", ct: ct);

        long superseded, suppressed;
        await using (var db = await factory.CreateDbContextAsync())
        {
            superseded = await db.Payloads.Where(p => p.Status == PayloadStatus.Superseded && p.Kind == PayloadKind.Snapshot).Select(p => p.Id).SingleAsync(ct);
            suppressed = await db.Payloads.Where(p => p.Status == PayloadStatus.Suppressed && p.Kind == PayloadKind.Snapshot).Select(p => p.Id).SingleAsync(ct);
        }

        var page = await PortalPage.OpenAsync(browser, server, width: 1280);
        await page.SignInAsync("admin", PortalServer.AdminPassword);
        await page.GotoAsync($"{server.BaseUrl}/telemetry/history/{superseded}");
        await page.WaitForCircuitAsync();
        var notice = page.GetByTestId("superseded-notice");
        await Expect(notice).ToContainTextAsync("Never sent");
        await page.ScreenshotAsync("payload-superseded");
        await notice.GetByRole(AriaRole.Link, new() { Name = $"payload {suppressed}" }).ClickAsync();

        await Expect(page.GetByTestId("detail-not-kept")).ToContainTextAsync("Not kept");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download bytes" })).ToBeDisabledAsync();
        await page.ScreenshotAsync("payload-not-kept");
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByTestId("detail-not-kept")).ToBeVisibleAsync();
        await page.ScreenshotAsync("payload-not-kept-narrow-dark");
        page.AssertNoCspViolations();
    }
}
