using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Configuration;

/// <summary>The <c>Telemetry</c> settings section, plus the <c>CODER_TELEMETRY</c> environment variable.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary><c>Telemetry:Level</c>: 0, 1 or 2. Defaults to unset, which means level 2 unless the admin chose otherwise.</summary>
    public int? Level { get; set; }

    /// <summary>The raw <c>CODER_TELEMETRY</c> value; it pins the level when set. Not bound from the section.</summary>
    public string? EnvironmentLevel { get; set; }

    /// <summary>The parsed <see cref="EnvironmentLevel"/>; only valid after validation.</summary>
    public TelemetryLevel? PinnedLevel =>
        TelemetryLevels.TryParseEnvironment(EnvironmentLevel, out var level, out _) ? level : null;

    /// <summary>The configured <see cref="Level"/> as a level; only valid after validation.</summary>
    public TelemetryLevel? ConfiguredLevel => Level is { } value && TelemetryLevels.IsDefined(value) ? (TelemetryLevel)value : null;
}

/// <summary>Rules for <see cref="TelemetryOptions"/>; every failure names its setting.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (!TelemetryLevels.TryParseEnvironment(options.EnvironmentLevel, out _, out var error))
        {
            failures.Add(error);
        }

        if (options.Level is { } level && !TelemetryLevels.IsDefined(level))
        {
            failures.Add($"Telemetry:Level must be 0, 1 or 2; got {level}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
