using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Telemetry;

public class LevelResolverTests
{
    [Fact]
    public void Resolve_NothingConfigured_IsLevelTwoFromDefault()
    {
        var result = LevelResolver.Resolve(new LevelInputs(null, null, null, HasZeroTelemetryLicense: false));

        Assert.Equal(TelemetryLevel.Full, result.Requested);
        Assert.Equal(TelemetryLevel.Full, result.Effective);
        Assert.Equal(LevelSource.Default, result.Source);
        Assert.False(result.Pinned);
        Assert.Null(result.Warning);
    }

    [Theory]
    [InlineData(TelemetryLevel.Full)]
    [InlineData(TelemetryLevel.Lightweight)]
    public void Resolve_AppSettingsOnly_UsesAppSettings(TelemetryLevel configured)
    {
        var result = LevelResolver.Resolve(new LevelInputs(null, null, configured, false));

        Assert.Equal(configured, result.Effective);
        Assert.Equal(LevelSource.AppSettings, result.Source);
        Assert.False(result.Pinned);
    }

    [Fact]
    public void Resolve_AdminChoice_WinsOverAppSettings()
    {
        var result = LevelResolver.Resolve(new LevelInputs(null, TelemetryLevel.Lightweight, TelemetryLevel.Full, false));

        Assert.Equal(TelemetryLevel.Lightweight, result.Effective);
        Assert.Equal(LevelSource.AdminChoice, result.Source);
        Assert.False(result.Pinned);
    }

    [Fact]
    public void Resolve_Environment_WinsOverEverythingAndPins()
    {
        var result = LevelResolver.Resolve(new LevelInputs(TelemetryLevel.Full, TelemetryLevel.Lightweight, TelemetryLevel.Lightweight, false));

        Assert.Equal(TelemetryLevel.Full, result.Effective);
        Assert.Equal(LevelSource.Environment, result.Source);
        Assert.True(result.Pinned);
        Assert.Contains("CODER_TELEMETRY", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LevelSource.Environment)]
    [InlineData(LevelSource.AdminChoice)]
    [InlineData(LevelSource.AppSettings)]
    public void Resolve_LevelZeroWithoutLicense_RunsAtOneAndWarns(LevelSource source)
    {
        var inputs = source switch
        {
            LevelSource.Environment => new LevelInputs(TelemetryLevel.Off, null, null, false),
            LevelSource.AdminChoice => new LevelInputs(null, TelemetryLevel.Off, null, false),
            _ => new LevelInputs(null, null, TelemetryLevel.Off, false),
        };

        var result = LevelResolver.Resolve(inputs);

        Assert.Equal(TelemetryLevel.Off, result.Requested);
        Assert.Equal(TelemetryLevel.Lightweight, result.Effective);
        Assert.Equal(source, result.Source);
        Assert.NotNull(result.Warning);
        Assert.Contains("license", result.Warning, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("level 1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LevelZeroWithLicense_IsOff()
    {
        var result = LevelResolver.Resolve(new LevelInputs(TelemetryLevel.Off, null, null, HasZeroTelemetryLicense: true));

        Assert.Equal(TelemetryLevel.Off, result.Effective);
        Assert.Null(result.Warning);
    }

    [Fact]
    public void Resolve_LicenseWithoutLevelZero_ChangesNothing()
    {
        var result = LevelResolver.Resolve(new LevelInputs(null, null, null, HasZeroTelemetryLicense: true));

        Assert.Equal(TelemetryLevel.Full, result.Effective);
    }
}
