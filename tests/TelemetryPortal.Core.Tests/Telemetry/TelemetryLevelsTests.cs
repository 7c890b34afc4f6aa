using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Telemetry;

public class TelemetryLevelsTests
{
    [Theory]
    [InlineData("0", TelemetryLevel.Off)]
    [InlineData("1", TelemetryLevel.Lightweight)]
    [InlineData("2", TelemetryLevel.Full)]
    public void TryParseEnvironment_ValidLevel_ReturnsLevel(string raw, TelemetryLevel expected)
    {
        Assert.True(TelemetryLevels.TryParseEnvironment(raw, out var level, out var error));
        Assert.Equal(expected, level);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryParseEnvironment_Unset_ReturnsNoLevel(string? raw)
    {
        Assert.True(TelemetryLevels.TryParseEnvironment(raw, out var level, out _));
        Assert.Null(level);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("banana")]
    [InlineData(" ")]
    [InlineData(" 1")]
    [InlineData("01")]
    [InlineData("1.0")]
    [InlineData("true")]
    [InlineData("２")]
    public void TryParseEnvironment_OtherValue_FailsNamingVariableAndAllowedValues(string raw)
    {
        Assert.False(TelemetryLevels.TryParseEnvironment(raw, out var level, out var error));
        Assert.Null(level);
        Assert.Contains("CODER_TELEMETRY", error, StringComparison.Ordinal);
        Assert.Contains("0, 1 or 2", error, StringComparison.Ordinal);
        Assert.Contains(raw, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Describe_EveryLevel_IsOneSentence()
    {
        foreach (var level in TelemetryLevels.All)
        {
            var text = TelemetryLevels.Describe(level);
            Assert.EndsWith(".", text, StringComparison.Ordinal);
            Assert.Single(text.Split(". ", StringSplitOptions.None));
        }
    }
}
