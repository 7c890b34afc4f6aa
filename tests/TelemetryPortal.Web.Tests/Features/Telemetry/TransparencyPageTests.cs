using System.Text;
using Bunit;
using MudBlazor;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

public sealed class TransparencyPageTests : TelemetrySetup, IAsyncLifetime
{
    public TransparencyPageTests()
    {
        UseTelemetry();
        SignInAs(PortalRoles.Support);
    }

    public async ValueTask InitializeAsync()
    {
        var now = DateTime.UtcNow;
        for (var i = 0; i < 30; i++)
        {
            await AddPayloadAsync(
                Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"),
                i % 2 == 0 ? PayloadKind.Snapshot : PayloadKind.Deployment,
                i < 3 ? PayloadStatus.Retrying : PayloadStatus.Sent,
                now.AddMinutes(-30 * i));
        }
    }

    [Fact]
    public void History_FirstPage_ShowsNewestRowsAndTotal()
    {
        Render<MudPopoverProvider>();

        var cut = Render<History>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(25, cut.FindAll("[data-testid=history-grid] tbody tr").Count);
            Assert.Contains("1-25 of 30", cut.Markup, StringComparison.Ordinal);
        });
        Assert.Equal(3, cut.FindAll("[data-testid=history-grid] tbody tr").Count(r => r.TextContent.Contains("Retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public void WhatWeCollect_LevelOneSummary_ListsEveryCategoryItCountsInTheirOwnCase()
    {
        var summary = LevelSummary.Describe(DataDictionary.Default, Core.Telemetry.TelemetryLevel.Lightweight);

        var match = System.Text.RegularExpressions.Regex.Match(summary, @"\((\d+) categories: ([^)]*)\)");
        Assert.True(match.Success, summary);
        var listed = match.Groups[2].Value.Replace(" and ", ", ", StringComparison.Ordinal).Split(", ");
        Assert.Equal(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), listed.Length);
        Assert.Contains("IP address (", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("ip address", summary, StringComparison.Ordinal);
        Assert.All(DataDictionary.Default.Entries, e => Assert.DoesNotContain("deployments'.", e.Purpose, StringComparison.Ordinal));
    }

    [Fact]
    public void WhatWeCollect_FieldPaths_AreWholeIdentifiers()
    {
        Render<MudPopoverProvider>();

        var cut = Render<WhatWeCollect>();

        var path = cut.Find("[data-testid=dictionary-grid] tbody tr code.identifier");
        Assert.Equal(path.TextContent, path.GetAttribute("title"));
        Assert.Matches(@"^(snapshot|deployment)\.", path.TextContent);
        Assert.Equal("Field, description or purpose", cut.Find("input[type=text]").GetAttribute("placeholder"));
    }

    [Fact]
    public void WhatWeCollect_SearchNarrowsTheTable_AndSummariesComeFromTheDictionary()
    {
        Render<MudPopoverProvider>();

        var cut = Render<WhatWeCollect>();

        Assert.Equal(LevelSummary.Describe(DataDictionary.Default, Core.Telemetry.TelemetryLevel.Lightweight), cut.Find("[data-testid=level-summary-1]").TextContent);
        Assert.Contains("1-25 of", cut.Markup, StringComparison.Ordinal);
        cut.Find("input[type=text]").Input("email_hashed");
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=dictionary-grid] tbody tr");
            var row = Assert.Single(rows);
            Assert.Contains("snapshot.users[].email_hashed", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("level 2 only", row.TextContent, StringComparison.Ordinal);
        });
    }
}
