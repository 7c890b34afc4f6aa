using System.Security.Cryptography;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Tests.Features.Consent;

/// <summary>The consent page's "Check a receipt" panel against the real ledger and receipt key on a SQLite file of its own.</summary>
public sealed class ConsentReceiptCheckPanelTests : ConsentSetup
{
    public ConsentReceiptCheckPanelTests() => UseConsent(PortalRoles.Support, "sam");

    /// <summary>A receipt of a real decision, signed by <paramref name="signer"/> (the portal's own key when null).</summary>
    private async Task<string> ReceiptJwsAsync(ConsentReceiptSigner? signer = null) =>
        await ReceiptJwsAsync(await ChooseAsync(TelemetryLevel.Lightweight), signer);

    private static void Check(IRenderedComponent<ReceiptCheckPanel> panel, string text)
    {
        panel.Find("textarea").Change(text);
        panel.Find("[data-testid=receipt-check-button]").Click();
    }

    [Fact]
    public async Task Check_PastedReceiptOfThisPortal_SaysValidWithEveryCheckHolding()
    {
        var jws = await ReceiptJwsAsync();
        var panel = Render<ReceiptCheckPanel>();

        Assert.Equal("Receipt (JSON or JWS)", panel.Find("label").TextContent.Trim());
        Check(panel, jws);

        panel.WaitForAssertion(() =>
        {
            var result = panel.Find("[data-testid=receipt-result]");
            Assert.Equal("status", result.GetAttribute("role"));
            Assert.StartsWith("The receipt is valid", result.TextContent.Trim(), StringComparison.Ordinal);
        });
        var checks = panel.FindAll("[data-testid^=receipt-check-][data-ok]");
        Assert.Equal(5, checks.Count);
        Assert.All(checks, c => Assert.Equal("true", c.GetAttribute("data-ok")));
        Assert.Contains("Ledger head at issue: holds.", panel.Find("[data-testid=receipt-check-head]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ReceiptSignedByAnotherKey_IsAnAlertNamingTheSignature()
    {
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stranger = new ConsentReceiptSigner(strangerKey);
        var jws = await ReceiptJwsAsync(stranger);
        var panel = Render<ReceiptCheckPanel>();

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(jws, "receipt.jws"));

        panel.WaitForAssertion(() =>
        {
            var result = panel.Find("[data-testid=receipt-result]");
            Assert.Equal("alert", result.GetAttribute("role"));
            Assert.Contains("The receipt does not hold: 1 check fails.", result.TextContent, StringComparison.Ordinal);
            Assert.Contains(stranger.PublicKey.Kid, result.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal("false", panel.Find("[data-testid=receipt-check-signature]").GetAttribute("data-ok"));
        Assert.Contains("Loaded from receipt.jws", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NotAReceipt_IsAnAlertSayingWhy()
    {
        var panel = Render<ReceiptCheckPanel>();

        Check(panel, "hello");

        panel.WaitForAssertion(() =>
        {
            var error = panel.Find("[data-testid=receipt-error]");
            Assert.Equal("alert", error.GetAttribute("role"));
            Assert.Contains("three parts", error.TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(panel.FindAll("[data-testid=receipt-result]"));
    }
}
