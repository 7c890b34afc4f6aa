using Bunit;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Dashboard;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Dashboard;

public sealed class LevelCardTests : PortalComponentTestContext
{
    [Fact]
    public void Render_Default_ShowsLevelTwoFromDefaultWithoutWarning()
    {
        var resolution = LevelResolver.Resolve(new LevelInputs(null, null, null, false));

        var cut = Render<LevelCard>(p => p.Add(c => c.Resolution, resolution));

        Assert.Equal("2", cut.Find("[data-testid=effective-level]").TextContent.Trim());
        Assert.Equal("Default (nothing configured)", cut.Find("[data-testid=level-source]").TextContent.Trim());
        Assert.Equal(TelemetryLevels.Describe(TelemetryLevel.Full), cut.Find("[data-testid=level-description]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=level-warning]"));
        Assert.DoesNotContain("Pinned by", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LevelZeroFromEnvironmentWithoutLicense_ShowsRequestedZeroEffectiveOneAndWarning()
    {
        var resolution = LevelResolver.Resolve(new LevelInputs(TelemetryLevel.Off, null, null, false));

        var cut = Render<LevelCard>(p => p.Add(c => c.Resolution, resolution));

        Assert.Equal("1", cut.Find("[data-testid=effective-level]").TextContent.Trim());
        Assert.Equal("Level 0 (off)", cut.Find("[data-testid=requested-level]").TextContent.Trim());
        Assert.Equal("Environment variable CODER_TELEMETRY", cut.Find("[data-testid=level-source]").TextContent.Trim());
        Assert.Contains("zero-telemetry license", cut.Find("[data-testid=level-warning]").TextContent, StringComparison.Ordinal);
        Assert.Contains("runs at level 1", cut.Find("[data-testid=level-reason]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Pinned by CODER_TELEMETRY", cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LevelSource.AdminChoice, "The admin's choice")]
    [InlineData(LevelSource.AppSettings, "Telemetry:Level in appsettings")]
    public void Render_OtherSources_NameTheSource(LevelSource source, string expected)
    {
        var inputs = source == LevelSource.AdminChoice
            ? new LevelInputs(null, TelemetryLevel.Lightweight, null, false)
            : new LevelInputs(null, null, TelemetryLevel.Lightweight, false);

        var cut = Render<LevelCard>(p => p.Add(c => c.Resolution, LevelResolver.Resolve(inputs)));

        Assert.Equal(expected, cut.Find("[data-testid=level-source]").TextContent.Trim());
        Assert.Equal(TelemetryLevels.Describe(TelemetryLevel.Lightweight), cut.Find("[data-testid=level-description]").TextContent.Trim());
    }
}
