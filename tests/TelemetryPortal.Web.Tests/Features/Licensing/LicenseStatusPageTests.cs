using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>The license page reads each state right, and the admin's revocation records the reason given.</summary>
[Trait("Database", "Both")]
public sealed class LicenseStatusPageTests : LicensingSetup
{
    private IRenderedComponent<MudDialogProvider> RenderPage(out IRenderedComponent<LicenseStatusPage> page)
    {
        var dialogs = Render<MudDialogProvider>();
        var host = Render<CascadingAuthenticationState>(p => p.AddChildContent<LicenseStatusPage>());
        page = host.FindComponent<LicenseStatusPage>();
        var rendered = page;
        rendered.WaitForAssertion(() => Assert.NotEmpty(rendered.FindAll("[data-testid=license-state]")));
        return dialogs;
    }

    [Fact]
    public async Task Render_Revoked_ShowsNoDaysLeftButWhenAndWhy()
    {
        SignInAs(PortalRoles.Admin, "admin");
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(365), "Contract ended.");

        RenderPage(out var page);

        Assert.Equal("Revoked", page.Find("[data-testid=license-state]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=license-days-left]"));
        Assert.DoesNotContain("365", page.Find("[data-testid=license-status]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Contract ended.", page.Find("[data-testid=license-revoked]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Revoke the license", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_Expired_SaysWhenItExpiredWithoutDaysLeft()
    {
        SignInAs(PortalRoles.Customer, "cora");
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddDays(-40), DateTime.UtcNow.AddDays(-10));

        RenderPage(out var page);

        Assert.Equal("Expired", page.Find("[data-testid=license-state]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=license-days-left]"));
        Assert.NotEmpty(page.Find("[data-testid=license-expired-on]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_FreshThirtyDayLicense_IsValidNotExpiringSoon()
    {
        SignInAs(PortalRoles.Customer, "cora");
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddDays(30));

        RenderPage(out var page);

        Assert.Equal("Valid", page.Find("[data-testid=license-state]").TextContent.Trim());
        Assert.Equal("30", page.Find("[data-testid=license-days-left]").TextContent.Trim());
        Assert.DoesNotContain("expires in", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_LastWeekOfAThirtyDayLicense_IsExpiringSoonWithTheWarning()
    {
        SignInAs(PortalRoles.Customer, "cora");
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddDays(-25), DateTime.UtcNow.AddDays(5));

        RenderPage(out var page);

        Assert.Equal("Expiring soon", page.Find("[data-testid=license-state]").TextContent.Trim());
        Assert.Equal("5", page.Find("[data-testid=license-days-left]").TextContent.Trim());
        Assert.Contains("The license expires in 5 days.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_AsksForAReason_AndTheLedgerRecordsIt()
    {
        SignInAs(PortalRoles.Admin, "admin");
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(365));
        var dialogs = RenderPage(out var page);

        // The page awaits the dialog's result, so the click is not awaited.
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke the license").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=revoke-reason]")));
        var revoke = dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke");
        Assert.True(revoke.HasAttribute("disabled"), "No revocation without a reason.");
        Assert.Contains("Recorded with the revocation in the consent ledger.", dialogs.Markup, StringComparison.Ordinal);

        dialogs.Find("textarea[data-testid=revoke-reason], [data-testid=revoke-reason] textarea").Input("The contract with Initech ended.");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").HasAttribute("disabled")));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();

        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("[data-testid=license-state]").TextContent.Trim()));
        Assert.Contains("The contract with Initech ended.", page.Find("[data-testid=license-revoked]").TextContent, StringComparison.Ordinal);
        Assert.Equal("LicenseRevoked", (await LicenseActionsAsync())[^1]);
        var ledger = await Services.GetRequiredService<ConsentLedgerService>()
            .ListAsync(new ConsentQuery(Action: "LicenseRevoked"), Ct);
        Assert.Contains("The contract with Initech ended.", Assert.Single(ledger.Items).Reason, StringComparison.Ordinal);
    }
}
