using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>History's filters, sort and page live in its address: restored from it, written to it, bad values ignored with a notice.</summary>
[Trait("Database", "Both")]
public sealed class HistoryAddressTests : TelemetrySetup, IAsyncLifetime
{
    public HistoryAddressTests()
    {
        UseTelemetry();
        SignInAs(PortalRoles.Support);
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    public async ValueTask InitializeAsync()
    {
        // 30 payloads, half an hour apart, newest first: the three newest are retrying, the rest sent.
        var now = DateTime.UtcNow;
        for (var i = 0; i < 30; i++)
        {
            await AddPayloadAsync(
                Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"),
                i % 2 == 0 ? PayloadKind.Snapshot : PayloadKind.Deployment,
                i < 3 ? PayloadStatus.Retrying : PayloadStatus.Sent,
                now.AddMinutes(-30 * i),
                level: i < 10 ? 1 : 2);
        }
    }

    private IRenderedComponent<History> RenderAt(string address)
    {
        Render<MudPopoverProvider>();
        Navigation.NavigateTo(address);
        return Render<History>();
    }

    /// <summary>
    /// Waits until the grid shows <paramref name="range"/> and is not loading: MudBlazor's grid may load twice as it
    /// starts (its columns' initial sort), and shows a progress row, and no rows, while the second load runs.
    /// </summary>
    private static void WaitForGrid(IRenderedComponent<History> cut, string range) =>
        cut.WaitForAssertion(() =>
        {
            Assert.Contains(range, cut.Markup, StringComparison.Ordinal);
            Assert.Empty(cut.FindAll("[data-testid=history-grid] .mud-table-loading"));
        });

    [Fact]
    public void Address_RestoresFiltersSortAndPage()
    {
        var cut = RenderAt("/telemetry/history?status=Sent&sortBy=capturedAt&descending=false&page=2");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("26-27 of 27", cut.Markup, StringComparison.Ordinal);
            Assert.Equal(2, cut.FindAll("[data-testid=history-grid] tbody tr").Count);
        });
        // Oldest first, so the second page holds the newest two that were sent.
        Assert.All(cut.FindAll("[data-testid=history-grid] tbody tr"), r => Assert.Contains("Sent", r.TextContent, StringComparison.Ordinal));
        Assert.Contains(cut.FindAll(".mud-select input"), i => i.GetAttribute("value") == "Sent");
        Assert.Empty(cut.FindAll("[data-testid=query-notice]"));
        Assert.EndsWith("?status=Sent&descending=false&page=2", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_RestoresSortByAnotherColumnAndPageSize()
    {
        var cut = RenderAt("/telemetry/history?level=1&sortBy=level&descending=false&pageSize=50");

        WaitForGrid(cut, "1-10 of 10");
        Assert.Equal(10, cut.FindAll("[data-testid=history-grid] tbody tr").Count);
        var grid = cut.FindComponent<MudDataGrid<HistoryItem>>().Instance;
        var sort = Assert.Single(grid.SortDefinitions.Values);
        Assert.Equal(nameof(HistoryItem.Level), sort.SortBy);
        Assert.False(sort.Descending);
        Assert.Equal(50, grid.RowsPerPage);
    }

    [Fact]
    public void Address_WithValuesThePageDoesNotOffer_IgnoresThemWithANotice_AndCleansTheAddress()
    {
        var cut = RenderAt("/telemetry/history?level=7&status=Lost&page=x&from=yesterday&sortBy=sha256&pageSize=30&kind=Snapshot");

        WaitForGrid(cut, "1-15 of 15");
        var notice = cut.Find("[data-testid=query-notice]").TextContent;
        Assert.Contains("not understood and is ignored", notice, StringComparison.Ordinal);
        Assert.Contains("level must be", notice, StringComparison.Ordinal);
        Assert.Contains("status must be one of", notice, StringComparison.Ordinal);
        Assert.Contains("page must be a whole number; got \"x\"", notice, StringComparison.Ordinal);
        Assert.Contains("from must be a date (yyyy-MM-dd); got \"yesterday\"", notice, StringComparison.Ordinal);
        Assert.Contains("sortBy must be one of", notice, StringComparison.Ordinal);
        Assert.Contains("pageSize must be one of 25, 50, 100, 200; got \"30\"", notice, StringComparison.Ordinal);
        // What was understood stays; the rest leaves the address.
        cut.WaitForAssertion(() => Assert.EndsWith("/telemetry/history?kind=snapshot", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Address_WithAPagePastTheLast_ShowsTheFirstWithANotice()
    {
        var cut = RenderAt("/telemetry/history?status=Retrying&page=4");

        WaitForGrid(cut, "1-3 of 3");
        Assert.Contains("page 4 is past the last page (1)", cut.Find("[data-testid=query-notice]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".mud-alert-text-warning"));
    }

    [Fact]
    public void ChangingAFilter_WritesItToTheAddress_ReplacingTheEntry()
    {
        var cut = RenderAt("/telemetry/history");
        WaitForGrid(cut, "1-25 of 30");

        cut.Find("input[type=search], .mud-input-adorned-start input").Input("collector");

        cut.WaitForAssertion(() => Assert.EndsWith("/telemetry/history?q=collector", Navigation.Uri, StringComparison.Ordinal));
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)Navigation;
        Assert.True(navigation.History.First().Options.ReplaceHistoryEntry);
    }

    [Fact]
    public void Grid_HidesTheLowValueColumnsByDefault_BehindTheColumnChooser()
    {
        var cut = RenderAt("/telemetry/history");
        WaitForGrid(cut, "1-25 of 30");

        // The header row only: while the grid loads again (MudBlazor may load twice at first) thead also holds a
        // progress row with an empty cell.
        var headers = cut.FindAll("[data-testid=history-grid] thead tr.mud-table-row th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Select to compare", "Captured (UTC)", "Payload", "Level", "Status", "SHA-256", "Open"], headers);
        var grid = cut.FindComponent<MudDataGrid<HistoryItem>>().Instance;
        // Hidden, not gone: the column chooser (the grid's menu) shows them again.
        Assert.Equal(["HTTP", "Attempts", "Size"], grid.RenderedColumns.Where(c => c.Hideable == true).Select(c => c.Title));
        Assert.True(grid.ShowMenuIcon);
    }
}
