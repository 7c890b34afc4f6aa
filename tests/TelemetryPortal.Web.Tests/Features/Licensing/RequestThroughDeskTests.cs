using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Licensing;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>With <c>Licensing:DeskUrl</c>: the requester sees exactly what leaves and to where, and nothing is filed until they confirm.</summary>
[Trait("Database", "Both")]
public sealed class RequestThroughDeskTests : LicensingSetup
{
    private const string DeskUrl = "http://127.0.0.1:9/vendor";

    public RequestThroughDeskTests()
        : base(new Dictionary<string, string?> { ["Licensing:DeskUrl"] = DeskUrl }) => SignInAs(PortalRoles.Customer, "cora");

    private static void Fill(IRenderedComponent<RequestLicense> cut, string label, string value) =>
        cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.StartsWith(label, StringComparison.Ordinal) == true)
            .QuerySelector("input, textarea")!.Input(value);

    [Fact]
    public async Task Send_ShowsAddressAndExactBody_CancelFilesNothing_ConfirmFilesAndRecordsTheConfirmation()
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<RequestLicense>();
        cut.WaitForAssertion(() => Assert.Contains("You have not requested a license yet.", cut.Markup, StringComparison.Ordinal));
        Assert.Contains($"{DeskUrl}/desk/requests", cut.Find("[data-testid=desk-path]").TextContent, StringComparison.Ordinal);
        Fill(cut, "Organisation", "Initech");
        Fill(cut, "Contact e-mail", "cora@initech.example");
        Fill(cut, "Reason", "Our regulator forbids any telemetry from this network.");

        cut.FindAll("button").Single(b => b.TextContent.Contains("Review and send request", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.Equal($"{DeskUrl}/desk/requests", dialogs.Find("[data-testid=desk-address]").TextContent));
        var body = dialogs.Find("[data-testid=desk-body]").TextContent;
        Assert.Contains("\"organisation\": \"Initech\"", body, StringComparison.Ordinal);
        Assert.Contains("\"contactEmail\": \"cora@initech.example\"", body, StringComparison.Ordinal);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        Assert.Empty(await LicenseActionsAsync());

        cut.FindAll("button").Single(b => b.TextContent.Contains("Review and send request", StringComparison.Ordinal)).Click();
        dialogs.WaitForElement("[data-testid=confirm-send-to-desk]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Waiting to reach the vendor", cut.Find("[data-testid=desk-status]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Export");
        Assert.Equal(["LicenseRequested"], await LicenseActionsAsync());
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        var request = await db.LicenseRequests.SingleAsync(Ct);
        Assert.Equal(body, request.DeskBody);
        Assert.Equal(DeskDelivery.Waiting, request.Delivery);
        var entry = await db.ConsentLedger.SingleAsync(e => e.Action == "LicenseRequested", Ct);
        Assert.Contains($"confirmed sending to the vendor's desk at {DeskUrl}/desk/requests", entry.Reason, StringComparison.Ordinal);
    }
}
