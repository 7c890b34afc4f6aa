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

    [Theory]
    [InlineData(TelemetryLevel.Lightweight, null, TelemetryLevel.Lightweight, LevelSource.AdminChoice)]
    [InlineData(TelemetryLevel.Full, TelemetryLevel.Lightweight, TelemetryLevel.Lightweight, LevelSource.AppSettings)]
    [InlineData(TelemetryLevel.Full, null, TelemetryLevel.Full, LevelSource.AdminChoice)]
    [InlineData(null, TelemetryLevel.Lightweight, TelemetryLevel.Lightweight, LevelSource.AppSettings)]
    [InlineData(null, null, TelemetryLevel.Full, LevelSource.Default)]
    public void Resolve_ConsentLedgerBroken_TakesTheMostPrivateOfTheIntactChoiceAndTheSettings(
        TelemetryLevel? intactChoice, TelemetryLevel? settings, TelemetryLevel expected, LevelSource expectedSource)
    {
        var result = LevelResolver.Resolve(new LevelInputs(null, intactChoice, settings, false, LedgerBrokenAt: 7));

        Assert.Equal((expected, expected, expectedSource), (result.Requested, result.Effective, result.Source));
        Assert.Equal(7, result.LedgerBrokenAt);
        Assert.StartsWith("The consent ledger fails verification at entry 7, so decisions recorded from there on are not trusted", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith(
            expectedSource == LevelSource.Default
                ? $"Level {(int)expected} applies by default: nothing was configured."
                : $"Level {(int)expected} was set by {TelemetryLevels.Describe(expectedSource)}.",
            result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConsentLedgerBrokenIntactChoiceZeroWithoutLicense_StillRunsAtOne()
    {
        var result = LevelResolver.Resolve(new LevelInputs(null, TelemetryLevel.Off, null, false, LedgerBrokenAt: 3));

        Assert.Equal((TelemetryLevel.Off, TelemetryLevel.Lightweight, LevelSource.AdminChoice), (result.Requested, result.Effective, result.Source));
        Assert.Contains("entry 3", result.Reason, StringComparison.Ordinal);
        Assert.Contains("no valid zero-telemetry license", result.Reason, StringComparison.Ordinal);
        Assert.NotNull(result.Warning);
    }

    [Fact]
    public void Resolve_ConsentLedgerBrokenButPinned_EnvironmentStillPins()
    {
        var result = LevelResolver.Resolve(new LevelInputs(TelemetryLevel.Full, TelemetryLevel.Lightweight, TelemetryLevel.Lightweight, false, LedgerBrokenAt: 3));

        Assert.Equal((TelemetryLevel.Full, LevelSource.Environment, true), (result.Effective, result.Source, result.Pinned));
        Assert.Null(result.LedgerBrokenAt);
        Assert.DoesNotContain("ledger", result.Reason, StringComparison.Ordinal);
    }
}
