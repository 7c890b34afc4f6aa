using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Licensing;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>Renewal: from 30 days before expiry the request form is filled in from the license in force.</summary>
[Trait("Database", "Both")]
public sealed class RenewalTests : LicensingSetup
{
    public RenewalTests() => SignInAs(PortalRoles.Admin, "admin");

    [Fact]
    public async Task Render_RenewWithALicenseInForce_FormPrefilledFromIt()
    {
        await LicenseStates.AddAsync(Services, DateTime.UtcNow.AddDays(-340), DateTime.UtcNow.AddDays(20));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/licenses/request?renew=true");
        Render<MudPopoverProvider>();

        var cut = Render<RequestLicense>();

        cut.WaitForAssertion(() => Assert.Contains("Renewal of the license in force (Initech", cut.Find("[data-testid=renewal-prefilled]").TextContent, StringComparison.Ordinal));
        var values = cut.FindAll("input, textarea").Select(i => i.GetAttribute("value") ?? i.TextContent).ToList();
        Assert.Contains("Initech", values);
        Assert.Contains("360", values);
        Assert.Contains(values, v => v.StartsWith("Renewal of zero-telemetry license ", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_RenewWithoutALicense_EmptyForm()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/licenses/request?renew=true");
        Render<MudPopoverProvider>();

        var cut = Render<RequestLicense>();

        cut.WaitForAssertion(() => Assert.Contains("You have not requested a license yet.", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=renewal-prefilled]"));
    }
}
