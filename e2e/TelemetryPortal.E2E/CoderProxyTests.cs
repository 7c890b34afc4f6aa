using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TelemetryPortal.E2E;

/// <summary>A real Coder's reports through the portal, and what a newer Coder adds: the admin sees what was held back.</summary>
public sealed class CoderProxyTests(BrowserFixture browser)
{
    [Fact]
    public async Task NewerCodersFields_AreListedAsNotYetClassified_FromTheDashboard()
    {
        await using var server = new PortalServer(new Dictionary<string, string?>
        {
            ["Telemetry:Source"] = "CoderProxy",
            ["Telemetry:FirstReportDelay"] = "1.00:00:00",
        });
        var snapshot = Encoding.UTF8.GetString(TelemetryJson.Serialize(new SimulatedInstallation(new SimulationOptions { Users = 5, Workspaces = 8 }).CreateSnapshot()));
        var drifted = "{\"ai_seats\":[{\"id\":1}]," + snapshot[1..];
        // As Coder's reporter posts: CODER_TELEMETRY_URL is the portal's address; Go resolves "/snapshot" against it.
        using (var client = new HttpClient())
        using (var content = new StringContent(drifted, Encoding.UTF8, "application/json"))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(server.BaseUrl + "/ingest/coder"), "/snapshot")) { Content = content };
            request.Headers.Add("X-Coder-Version", "v2.99.0");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var page = await PortalPage.OpenAsync(browser, server, width: 1440);
        await page.SignInAsync("admin", PortalServer.AdminPassword);

        var alert = page.GetByTestId("unclassified-fields");
        await Expect(alert).ToContainTextAsync("1 field the data dictionary does not know");
        await page.ScreenshotAsync("dashboard-unclassified");
        await alert.GetByRole(AriaRole.Link, new() { Name = "See what was held back" }).ClickAsync();

        var table = page.GetByTestId("unclassified-table");
        await Expect(table).ToContainTextAsync("snapshot.ai_seats");
        await Expect(table).ToContainTextAsync("array");
        await Expect(table).ToContainTextAsync("v2.99.0");
        await page.ScreenshotAsync("dictionary-unclassified");

        await page.SetViewportSizeAsync(390, 844);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(table).ToBeVisibleAsync();
        await page.WaitForTransitionsAsync();
        await page.GetByTestId("unclassified-section").ScreenshotAsync(new()
        {
            Path = Path.Combine(PortalPage.RepositoryRoot(), "artifacts", "screenshots", "dictionary-unclassified-narrow-dark.png"),
        });
        await page.GetByTestId("unclassified-section").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalPage.RepositoryRoot(), "artifacts", "screenshots", "dictionary-unclassified-narrow-dark-viewport.png") });
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The page scrolls sideways at 390 px.");
        page.AssertNoCspViolations();
    }
}
