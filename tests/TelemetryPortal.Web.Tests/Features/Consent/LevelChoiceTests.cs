using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Tests.Features.Consent;

/// <summary>The level page against the real ledger on a SQLite file of its own.</summary>
public sealed class LevelChoiceTests : ConsentSetup
{
    private void UsePortal(string coderTelemetry = "") => UseConsent(PortalRoles.Admin, "admin", coderTelemetry);

    private IRenderedComponent<MudDialogProvider> RenderPage(out IRenderedComponent<LevelChoice> page)
    {
        var dialogs = Render<MudDialogProvider>();
        var host = Render<CascadingAuthenticationState>(p => p.AddChildContent<LevelChoice>());
        page = host.FindComponent<LevelChoice>();
        var rendered = page;
        rendered.WaitForAssertion(() => Assert.Equal(3, rendered.FindAll("[data-testid^=level-option-]").Count));
        return dialogs;
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public void Render_Unpinned_ShowsThreeLevelsFromTheDictionaryWithAChoiceEach()
    {
        UsePortal();

        RenderPage(out var page);

        foreach (var level in TelemetryLevels.All)
        {
            var card = page.Find($"[data-testid=level-option-{(int)level}]");
            Assert.Contains(TelemetryLevels.Describe(level), card.TextContent, StringComparison.Ordinal);
            Assert.Contains($"Keeps back {Policies.For(level).KeptBackCount} fields", card.TextContent, StringComparison.Ordinal);
            Assert.Contains($"Choose level {(int)level}", card.TextContent, StringComparison.Ordinal);
        }

        Assert.Contains("e-mail", page.Find("[data-testid=level-option-1]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=pinned-notice]"));
    }

    [Fact]
    public void Render_Pinned_ShowsPinnedByTheEnvironmentAndOffersNoChange()
    {
        UsePortal(coderTelemetry: "1");

        RenderPage(out var page);

        Assert.Contains("CODER_TELEMETRY=1", page.Find("[data-testid=pinned-notice]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Choose level", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Choose_ConfirmOnlyAfterTheCheckbox_RecordsTheDecisionWithThePolicyShown()
    {
        UsePortal();
        var dialogs = RenderPage(out var page);

        // The page awaits the dialog's result, so the click is not awaited.
        Button(page, "Choose level 1").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=confirm-level]")));
        var confirm = Button(dialogs, "Change to level 1");
        Assert.True(confirm.HasAttribute("disabled"));
        Assert.Empty(dialogs.FindAll("[data-testid=license-needed]"));

        dialogs.Find("input[data-testid=confirm-level], [data-testid=confirm-level] input").Change(true);
        dialogs.WaitForAssertion(() => Assert.False(Button(dialogs, "Change to level 1").HasAttribute("disabled")));
        Button(dialogs, "Change to level 1").Click();

        page.WaitForAssertion(() => Assert.Contains("chosen by the admin", page.Find("[data-testid=current-choice]").TextContent, StringComparison.Ordinal));
        var decision = Assert.Single((await DecisionsAsync()).Items);
        Assert.Equal((2, 1, "Web", "Test Admin (admin)"), (decision.FromLevel!.Value, decision.ToLevel!.Value, decision.CollectionMethod, decision.ActorName));
        Assert.Equal(Policies.For(TelemetryLevel.Lightweight).Version, decision.PolicyVersion);
        Assert.True(Button(page, "Choose level 1").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Choose_Cancel_RecordsNothing()
    {
        UsePortal();
        var dialogs = RenderPage(out var page);

        Button(page, "Choose level 1").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=confirm-level]")));
        Button(dialogs, "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-level]")));
        Assert.Equal(0, (await DecisionsAsync()).Total);
    }

    [Fact]
    public void Choose_LevelZeroWithoutLicense_ExplainsLevelOneAndLinksToTheLicenseRequest()
    {
        UsePortal();
        var dialogs = RenderPage(out var page);

        Button(page, "Choose level 0").Click();

        dialogs.WaitForAssertion(() =>
        {
            var notice = dialogs.Find("[data-testid=license-needed]");
            Assert.Contains("runs at", notice.TextContent.Replace("keeps sending at", "runs at", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("level 1", notice.TextContent, StringComparison.Ordinal);
            Assert.Equal("/licenses/request", notice.QuerySelector("a")!.GetAttribute("href"));
        });
    }
}
