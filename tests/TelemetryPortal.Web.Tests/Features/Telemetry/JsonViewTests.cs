using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

public sealed class JsonViewTests : PortalComponentTestContext
{
    private const string Payload = """
        {"deployment_id":"d1","users":[{"id":"u1","email":"ada@corp.example","status":"active"}],
         "provisioner_jobs":[{"id":"j1","error":"ssh to 10.0.0.7 failed"}],"brand_new_field":{"x":1}}
        """;

    public JsonViewTests()
    {
        // The tree reads through the portal's outline service and its shared, size-limited cache.
        Services.AddMemoryCache(o => o.SizeLimit = PortalServiceCollectionExtensions.MemoryCacheSizeLimit);
        Services.AddSingleton<JsonOutlineService>();
    }

    private IRenderedComponent<JsonView> RenderView(string json, TelemetryLevel? explainFor) =>
        Render<JsonView>(p => p
            .Add(v => v.Content, new MemoryByteSource(Encoding.UTF8.GetBytes(json)))
            .Add(v => v.RootPath, "snapshot")
            .Add(v => v.ExplainFor, explainFor));

    private static void Open(IRenderedComponent<JsonView> cut, string name) =>
        cut.FindAll("button.json-toggle").First(b => b.TextContent.Contains($"\"{name}\"", StringComparison.Ordinal)).Click();

    [Fact]
    public void Render_ExplainLevelOne_MarksEmailRemovedWithItsCategory()
    {
        var cut = RenderView(Payload, TelemetryLevel.Lightweight);

        Open(cut, "users");
        cut.FindAll(".json-children .json-children button.json-toggle")[0].Click();

        var email = cut.FindAll(".json-line").Single(l => l.TextContent.Contains("\"email\"", StringComparison.Ordinal));
        Assert.Contains("json-removed", email.ClassList);
        Assert.Contains("Removed at level 1: e-mail", email.TextContent, StringComparison.Ordinal);
        var status = cut.FindAll(".json-line").Single(l => l.TextContent.Contains("\"status\"", StringComparison.Ordinal));
        Assert.DoesNotContain("json-removed", status.ClassList);
    }

    [Fact]
    public void Render_ExplainLevelOne_MarksUnknownFieldAndMaskedText()
    {
        var cut = RenderView(Payload, TelemetryLevel.Lightweight);

        var unknown = cut.FindAll(".json-node").Single(n => n.QuerySelector("button.json-toggle")!.TextContent.Contains("\"brand_new_field\"", StringComparison.Ordinal));
        Assert.Contains("json-removed", unknown.ClassList);
        Assert.Contains("fail-closed", unknown.TextContent, StringComparison.Ordinal);

        Open(cut, "provisioner_jobs");
        cut.FindAll(".json-children .json-children button.json-toggle")[0].Click();
        var error = cut.FindAll(".json-line").Single(l => l.TextContent.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Contains("json-masked", error.ClassList);
        Assert.Contains("Masked at level 1", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutExplanation_MarksNothing()
    {
        var cut = RenderView(Payload, explainFor: null);

        Open(cut, "users");
        cut.FindAll(".json-children .json-children button.json-toggle")[0].Click();

        Assert.Empty(cut.FindAll(".json-removed, .json-masked, .json-fate, .json-badge"));
        Assert.Contains("ada@corp.example", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SimulatedSnapshot_CountsExactlyWhatTheRedactorChanges()
    {
        var snapshot = TelemetryJson.Serialize(new SimulatedInstallation(new SimulationOptions { Users = 15, Workspaces = 25, FailedJobs = 1 }).CreateSnapshot());
        var redaction = Redactor.Default.RedactToArray(snapshot, PayloadKind.Snapshot, TelemetryLevel.Lightweight).Result;

        var cut = RenderView(Encoding.UTF8.GetString(snapshot), TelemetryLevel.Lightweight);

        // The preview and the redactor both follow the dictionary: the highlighted changes are the redactor's.
        var badge = cut.Find(".json-tree > .json-node > button.json-toggle .json-badge").TextContent;
        var expected = redaction.DroppedFields + redaction.UnknownFieldsDropped + redaction.MaskedValues;
        Assert.True(expected > 0);
        Assert.Equal($"{expected} fields removed or masked at level 1", badge.Trim());
    }

    [Fact]
    public void Render_LongValue_StaysWholeInTheTitleAndText()
    {
        var path = "/home/a-very-long-user-name/projects/some-deeply/nested/folder/that/goes/on/and/on/workspace";
        var cut = RenderView($$"""{"directory":"{{path}}"}""", explainFor: null);

        var value = cut.Find(".json-line .json-string");
        Assert.Equal(path, value.GetAttribute("title"));
        Assert.Equal($"\"{path}\"", value.TextContent);
        Assert.Equal("directory", cut.Find(".json-line .json-key").GetAttribute("title"));
    }

    [Fact]
    public void Render_Raw_ShowsTheExactText()
    {
        var cut = Render<JsonView>(p => p
            .Add(v => v.Content, new MemoryByteSource(Encoding.UTF8.GetBytes(Payload)))
            .Add(v => v.RootPath, "snapshot")
            .Add(v => v.Raw, true));

        Assert.Equal(Payload, cut.Find("pre.json-raw").TextContent);
    }

    [Fact]
    public void Render_NotJson_SaysSo()
    {
        var cut = RenderView("{oops", TelemetryLevel.Lightweight);

        Assert.Contains("not JSON", cut.Markup, StringComparison.Ordinal);
    }
}
