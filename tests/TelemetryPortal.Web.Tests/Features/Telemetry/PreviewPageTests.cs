using Bunit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Preview's comparison of levels: opened together, and each number named for what it counts.</summary>
public sealed class PreviewPageTests : TelemetrySetup, IAsyncLifetime
{
    public PreviewPageTests()
    {
        // Send now's scheduler asks the server where it listens; no page here sends.
        Services.AddSingleton<IServer, NoServer>();
        UseTelemetry();
        SignInAs(PortalRoles.Admin);
    }

    // The simulated installation reports under this deployment's id, which the portal creates at start.
    public async ValueTask InitializeAsync() => await Services.GetRequiredService<DeploymentService>().EnsureCreatedAsync(Xunit.TestContext.Current.CancellationToken);

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private IRenderedComponent<Preview> RenderPreview()
    {
        Render<MudPopoverProvider>();
        var cut = Render<Preview>();
        // The trees load their bytes from the kept preview (a file) after the page has rendered.
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=compare-level-1] button.json-toggle")), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=compare-level-2] button.json-toggle")), TimeSpan.FromSeconds(10));
        return cut;
    }

    private static AngleSharp.Dom.IElement Toggle(IRenderedComponent<Preview> cut, string view, string name) =>
        cut.FindAll($"[data-testid={view}] button.json-toggle").First(b => b.TextContent.Contains($"\"{name}\"", StringComparison.Ordinal));

    [Fact]
    public void Compare_OpenANodeAtLevelTwo_OpensTheSamePathAtLevelOne()
    {
        var cut = RenderPreview();
        Assert.Equal("false", Toggle(cut, "compare-level-1", "users").GetAttribute("aria-expanded"));

        Toggle(cut, "compare-level-2", "users").Click();

        cut.WaitForAssertion(() => Assert.Equal("true", Toggle(cut, "compare-level-1", "users").GetAttribute("aria-expanded")));
        Assert.Equal("true", Toggle(cut, "compare-level-2", "users").GetAttribute("aria-expanded"));

        // And the other way round, one level deeper: the first user, opened at level 1, opens at level 2. The users are
        // read from the kept preview once the node opens, after the render that opened it.
        const string FirstUserAtLevel1 = "[data-testid=compare-level-1] .json-children .json-children > .json-node > button.json-toggle";
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(FirstUserAtLevel1)), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=compare-level-2] .json-children .json-children > .json-node > button.json-toggle")), TimeSpan.FromSeconds(10));
        cut.FindAll(FirstUserAtLevel1)[0].Click();
        cut.WaitForAssertion(() => Assert.Equal("true",
            cut.FindAll("[data-testid=compare-level-2] .json-children .json-children > .json-node > button.json-toggle")[0].GetAttribute("aria-expanded")));

        // Closing works the same way.
        Toggle(cut, "compare-level-1", "users").Click();
        cut.WaitForAssertion(() => Assert.Equal("false", Toggle(cut, "compare-level-2", "users").GetAttribute("aria-expanded")));
    }

    [Fact]
    public void SingleLevel_OpensOnItsOwn()
    {
        var cut = RenderPreview();
        cut.FindAll(".mud-toggle-item").First(b => b.TextContent.Trim() == "Level 1").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=preview-json]"));

        Toggle(cut, "preview-json", "users").Click();

        Assert.Equal("true", Toggle(cut, "preview-json", "users").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Compare_CountsSayWhatTheyCount()
    {
        var cut = RenderPreview();

        var counts = cut.Find("[data-testid=preview-counts]").TextContent;
        Assert.Matches(@"^Level 1 removes \d+ fields? sent only at level 2 and \d+ fields? the dictionary does not know, and masks \d+ e-mail address(es)? and \d+ IP address(es)? in the text it keeps\.$", counts);
        var badge = cut.Find("[data-testid=compare-level-2] .json-badge").TextContent.Trim();
        Assert.Matches(@"^\d+ fields? removed or masked at level 1$", badge);
        Assert.Contains("Nothing is sent", cut.Find("[data-testid=compare-level-0]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Payload", "View"], cut.FindAll(".preview-control-label").Select(l => l.TextContent).ToArray());
    }
}
