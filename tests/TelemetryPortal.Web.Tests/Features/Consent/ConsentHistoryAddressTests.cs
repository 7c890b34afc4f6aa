using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Tests.Features.Consent;

/// <summary>Consent history's filters and page live in its address: restored from it, written to it, bad values ignored with a notice.</summary>
[Trait("Database", "Both")]
public sealed class ConsentHistoryAddressTests : ConsentSetup, IAsyncLifetime
{
    public ConsentHistoryAddressTests() => UseConsent(PortalRoles.Support, "support");

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    public async ValueTask InitializeAsync()
    {
        // Twelve decisions, alternating between levels 1 and 2.
        for (var i = 0; i < 12; i++)
        {
            await ChooseAsync(i % 2 == 0 ? TelemetryLevel.Lightweight : TelemetryLevel.Full);
        }
    }

    private IRenderedComponent<ConsentHistory> RenderAt(string address)
    {
        Render<MudPopoverProvider>();
        Navigation.NavigateTo(address);
        return Render<ConsentHistory>();
    }

    [Fact]
    public void Address_RestoresFiltersAndPage()
    {
        var cut = RenderAt("/consent?action=LevelChosen&page=2&pageSize=10");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("11-12 of 12", cut.Markup, StringComparison.Ordinal);
            Assert.Equal(2, cut.FindAll("[data-testid=consent-grid] tbody tr").Count);
        });
        Assert.Contains(cut.FindAll(".mud-select input"), i => i.GetAttribute("value") == "LevelChosen");
        Assert.Empty(cut.FindAll("[data-testid=query-notice]"));
        Assert.EndsWith("/consent?action=LevelChosen&page=2&pageSize=10", Navigation.Uri, StringComparison.Ordinal);
        // The export takes the same filters.
        Assert.Contains("/api/v1/consent/export?action=LevelChosen", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_WithValuesThePageDoesNotOffer_IgnoresThemWithANotice_AndCleansTheAddress()
    {
        var cut = RenderAt("/consent?action=Nope&level=9&page=0&to=2020-13-01&actor=admin");

        cut.WaitForAssertion(() => Assert.Contains("1-12 of 12", cut.Markup, StringComparison.Ordinal));
        var notice = cut.Find("[data-testid=query-notice]").TextContent;
        Assert.Contains("action must be one of", notice, StringComparison.Ordinal);
        Assert.Contains("level must be 0, 1 or 2; got \"9\"", notice, StringComparison.Ordinal);
        Assert.Contains("page must be 1 or more; got \"0\"", notice, StringComparison.Ordinal);
        Assert.Contains("to must be a date (yyyy-MM-dd); got \"2020-13-01\"", notice, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.EndsWith("/consent?actor=admin", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Address_WithAPagePastTheLast_ShowsTheFirstWithANotice()
    {
        var cut = RenderAt("/consent?action=LevelChosen&page=3&pageSize=10");

        cut.WaitForAssertion(() => Assert.Contains("1-10 of 12", cut.Markup, StringComparison.Ordinal));
        Assert.Contains("page 3 is past the last page (2)", cut.Find("[data-testid=query-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangingAFilter_WritesItToTheAddress_ReplacingTheEntry()
    {
        var cut = RenderAt("/consent?action=LevelChosen");
        cut.WaitForAssertion(() => Assert.Contains("1-12 of 12", cut.Markup, StringComparison.Ordinal));

        var label = cut.FindAll("label").Single(l => l.TextContent.Trim() == "Actor");
        cut.Find($"input#{label.GetAttribute("for")}").Input("admin");

        cut.WaitForAssertion(() => Assert.EndsWith("/consent?action=LevelChosen&actor=admin", Navigation.Uri, StringComparison.Ordinal));
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)Navigation;
        Assert.True(navigation.History.First().Options.ReplaceHistoryEntry);
    }

    [Fact]
    public void HeadHash_IsOneCopyableToken_WithTheWholeValueOnHover()
    {
        var cut = RenderAt("/consent");

        // The page has settled: the ledger's rows are in and the head hash shown.
        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("[data-testid=consent-grid] tbody tr"));
            Assert.NotEmpty(cut.FindAll("[data-testid=head-hash]"));
        });
        var value = cut.Find("[data-testid=head-hash]").TextContent;
        Assert.Matches("^[0-9a-f]{64}$", value);
        var hash = cut.Find("[data-testid=head-hash]").ParentElement!;
        Assert.Equal("BUTTON", hash.TagName);
        Assert.Equal($"Copy the ledger's head hash: {value}", hash.TextContent.Trim());
        Assert.StartsWith(value, hash.GetAttribute("title"), StringComparison.Ordinal);
        Assert.DoesNotContain("break-all", hash.OuterHtml, StringComparison.Ordinal);

        // Found again when clicked: a render in between (the verification finishing) replaces the button.
        cut.WaitForAssertion(() =>
        {
            cut.Find("[data-testid=head-hash]").ParentElement!.Click();
            Assert.Contains(JSInterop.Invocations, i => i.Identifier == "portal.copyText" && (string?)i.Arguments[0] == value);
        });
    }
}
