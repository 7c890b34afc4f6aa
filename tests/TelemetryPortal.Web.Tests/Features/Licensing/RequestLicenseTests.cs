using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>The request form against the real service, the real ledger and a real SQLite file.</summary>
public sealed class RequestLicenseTests : LicensingSetup
{
    public RequestLicenseTests() => SignInAs(PortalRoles.Customer, "cora");

    private IRenderedComponent<RequestLicense> RenderForm()
    {
        Render<MudPopoverProvider>();
        var cut = Render<RequestLicense>();
        cut.WaitForAssertion(() => Assert.Contains("You have not requested a license yet.", cut.Markup, StringComparison.Ordinal));
        return cut;
    }

    private static void Fill(IRenderedComponent<RequestLicense> cut, string label, string value) =>
        cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.StartsWith(label, StringComparison.Ordinal) == true)
            .QuerySelector("input, textarea")!.Input(value);

    [Fact]
    public async Task Submit_BadEmailAndShortReason_ShowsTheProblemsAndFilesNothing()
    {
        var cut = RenderForm();
        Fill(cut, "Organisation", "Initech");
        Fill(cut, "Contact e-mail", "cora-at-initech");
        Fill(cut, "Reason", "short");

        cut.FindAll("button").Single(b => b.TextContent.Contains("Send request", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Contact e-mail must be an e-mail address such as name@company.example.", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("Reason must be 10 to 2000 characters.", cut.Markup, StringComparison.Ordinal);
        });
        Assert.Empty(await LicenseActionsAsync());
        Assert.Contains("You have not requested a license yet.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ValidRequest_IsListedAsPendingWithTheDeploymentFilledIn()
    {
        var cut = RenderForm();
        Fill(cut, "Organisation", "Initech");
        Fill(cut, "Contact e-mail", "cora@initech.example");
        Fill(cut, "Reason", "Our regulator forbids any telemetry from this network.");

        cut.FindAll("button").Single(b => b.TextContent.Contains("Send request", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Equal("Pending", cut.Find("[data-testid=request-status]").TextContent.Trim()));
        var deploymentId = await Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync(Ct);
        Assert.Contains(deploymentId.ToString(), cut.Find("[data-testid=my-request]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["LicenseRequested"], await LicenseActionsAsync());
    }
}
