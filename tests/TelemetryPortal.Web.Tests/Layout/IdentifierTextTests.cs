using Bunit;
using MudBlazor;
using TelemetryPortal.Web.Components.Shared;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Layout;

/// <summary>An identifier is shown whole (title, text) on one line, and its copy button copies all of it.</summary>
public sealed class IdentifierTextTests : PortalComponentTestContext
{
    private const string DeploymentId = "6f1c2a9e-3b7d-4e5f-8a90-1b2c3d4e5f60";

    [Fact]
    public async Task Copy_CopiesTheWholeValue()
    {
        Render<MudPopoverProvider>();
        var copy = JSInterop.SetupVoid("portal.copyText", DeploymentId);
        var cut = Render<IdentifierText>(p => p.Add(c => c.Value, DeploymentId).Add(c => c.CopyLabel, "Copy the deployment id").Add(c => c.TestId, "deployment-id"));

        var code = cut.Find("code[data-testid=deployment-id]");
        Assert.Equal(DeploymentId, code.TextContent);
        Assert.Equal(DeploymentId, code.GetAttribute("title"));
        Assert.Contains("identifier", code.ClassList);

        await cut.Find("button[aria-label='Copy the deployment id']").ClickAsync(new());

        copy.VerifyInvoke("portal.copyText");
    }

    [Fact]
    public void NoCopyLabel_NoButton()
    {
        var cut = Render<IdentifierText>(p => p.Add(c => c.Value, "snapshot.users[].email").Add(c => c.Class, "identifier-cell"));

        Assert.Empty(cut.FindAll("button"));
        Assert.Equal("identifier identifier-cell", cut.Find("code").GetAttribute("class"));
    }
}
