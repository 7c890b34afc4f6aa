using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Dashboard;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Tests.Features.Licensing;

namespace TelemetryPortal.Web.Tests.Features.Dashboard;

/// <summary>The dashboard's handoff: a license makes level 0 available, and the admin is offered it in one click.</summary>
public sealed class LevelZeroPromptTests : LicensingSetup
{
    private LevelDecision? _chosen;

    private async Task<(IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<LevelZeroPrompt> Prompt)> RenderAsync()
    {
        var dialogs = Render<MudDialogProvider>();
        var resolution = await Services.GetRequiredService<TelemetryLevelService>().ResolveAsync(Ct);
        var license = await Services.GetRequiredService<LicenseService>().GetStatusAsync(Ct);
        var host = Render<CascadingAuthenticationState>(p => p.AddChildContent<LevelZeroPrompt>(c => c
            .Add(x => x.Resolution, resolution)
            .Add(x => x.License, license)
            .Add(x => x.OnChosen, (LevelDecision d) => _chosen = d)));
        return (dialogs, host.FindComponent<LevelZeroPrompt>());
    }

    private Task AddValidLicenseAsync() => LicenseStates.AddAsync(Services, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddDays(90));

    [Fact]
    public async Task Render_NoLicense_ShowsNothing()
    {
        SignInAs(PortalRoles.Admin, "admin");

        var (_, prompt) = await RenderAsync();

        Assert.Empty(prompt.FindAll("[data-testid=level-zero-prompt]"));
    }

    [Fact]
    public async Task Render_RevokedLicense_ShowsNothing()
    {
        SignInAs(PortalRoles.Admin, "admin");
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(90), "Contract ended.");

        var (_, prompt) = await RenderAsync();

        Assert.Empty(prompt.FindAll("[data-testid=level-zero-prompt]"));
    }

    [Fact]
    public async Task Render_ValidLicenseAtLevelTwo_AdminIsOfferedLevelZero()
    {
        SignInAs(PortalRoles.Admin, "admin");
        await AddValidLicenseAsync();

        var (_, prompt) = await RenderAsync();

        var text = System.Text.RegularExpressions.Regex.Replace(prompt.Find("[data-testid=level-zero-prompt]").TextContent, @"\s+", " ");
        Assert.Contains("Level 0 is available.", text, StringComparison.Ordinal);
        Assert.Contains("The zero-telemetry license of Initech is in force", text, StringComparison.Ordinal);
        Assert.Contains("telemetry is sent at level 2", text, StringComparison.Ordinal);
        Assert.Equal("Choose level 0", prompt.Find("[data-testid=choose-level-zero]").TextContent.Trim());
        Assert.Empty(prompt.FindAll("[data-testid=level-zero-admin-only]"));
    }

    [Theory]
    [InlineData(PortalRoles.Support)]
    [InlineData(PortalRoles.Customer)]
    public async Task Render_ValidLicense_OthersReadANoteWithoutAButton(string role)
    {
        SignInAs(role, "someone");
        await AddValidLicenseAsync();

        var (_, prompt) = await RenderAsync();

        Assert.NotEmpty(prompt.FindAll("[data-testid=level-zero-prompt]"));
        Assert.Empty(prompt.FindAll("[data-testid=choose-level-zero]"));
        Assert.Equal("An admin can choose it on the Telemetry level page.", prompt.Find("[data-testid=level-zero-admin-only]").TextContent.Trim());
    }

    [Fact]
    public async Task Choose_OpensTheLevelConfirmation_AndRecordsLevelZeroInTheLedger()
    {
        SignInAs(PortalRoles.Admin, "admin");
        await AddValidLicenseAsync();
        var (dialogs, prompt) = await RenderAsync();

        // The prompt awaits the dialog's result, so the click is not awaited.
        prompt.Find("[data-testid=choose-level-zero]").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=confirm-level]")));
        Assert.Empty(dialogs.FindAll("[data-testid=license-needed]"));
        dialogs.Find("input[data-testid=confirm-level], [data-testid=confirm-level] input").Change(true);
        dialogs.WaitForAssertion(() => Assert.False(dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change to level 0").HasAttribute("disabled")));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change to level 0").Click();

        prompt.WaitForAssertion(() => Assert.NotNull(_chosen));
        Assert.Equal(TelemetryLevel.Off, _chosen!.Resolution.Effective);
        var ledger = Services.GetRequiredService<ConsentLedgerService>();
        var decision = Assert.Single((await ledger.ListAsync(new ConsentQuery(Action: ConsentActions.LevelChosen), Ct)).Items);
        Assert.Equal((0, "Web"), (decision.ToLevel!.Value, decision.CollectionMethod));
        Assert.Equal(Services.GetRequiredService<ConsentPolicies>().For(TelemetryLevel.Off).Version, decision.PolicyVersion);
    }
}
