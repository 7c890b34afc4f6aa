using System.Diagnostics.CodeAnalysis;

namespace TelemetryPortal.Core.Telemetry;

/// <summary>Parsing and plain-words descriptions of <see cref="TelemetryLevel"/>.</summary>
public static class TelemetryLevels
{
    /// <summary>The environment variable that pins the level.</summary>
    public const string EnvironmentVariable = "CODER_TELEMETRY";

    /// <summary>The level that applies when nothing was configured.</summary>
    public const TelemetryLevel Default = TelemetryLevel.Full;

    /// <summary>All levels, from most to least data sent.</summary>
    public static IReadOnlyList<TelemetryLevel> All { get; } = [TelemetryLevel.Full, TelemetryLevel.Lightweight, TelemetryLevel.Off];

    /// <summary>
    /// Reads a raw <c>CODER_TELEMETRY</c> value. <see langword="null"/> or empty means unset; only
    /// <c>0</c>, <c>1</c> and <c>2</c> are levels, anything else is an error that names the variable.
    /// </summary>
    public static bool TryParseEnvironment(string? raw, out TelemetryLevel? level, [NotNullWhen(false)] out string? error)
    {
        level = null;
        error = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (TryParse(raw, out var parsed))
        {
            level = parsed;
            return true;
        }

        error = NotALevel(EnvironmentVariable, $"\"{raw}\"") + " Leave it unset for the portal's own choice.";
        return false;
    }

    /// <summary>Parses exactly <c>0</c>, <c>1</c> or <c>2</c>; no signs, spaces or other spellings.</summary>
    public static bool TryParse(string? raw, out TelemetryLevel level)
    {
        level = default;
        if (raw is not { Length: 1 } || raw[0] is < '0' or > '2')
        {
            return false;
        }

        level = (TelemetryLevel)(raw[0] - '0');
        return true;
    }

    /// <summary>
    /// The one message for a value that is not a level: <c>{name} must be 0, 1 or 2; got {shown}.</c>, where
    /// <paramref name="shown"/> is the value as the caller wrote it (quoted text, a number, or "nothing").
    /// </summary>
    public static string NotALevel(string name, string shown) => $"{name} must be 0, 1 or 2; got {shown}.";

    /// <summary>Whether the integer is one of the three levels.</summary>
    public static bool IsDefined(int value) => value is >= 0 and <= 2;

    /// <summary>The level's number and short name, e.g. "1 (lightweight)".</summary>
    public static string Label(TelemetryLevel level) => level switch
    {
        TelemetryLevel.Off => "0 (off)",
        TelemetryLevel.Lightweight => "1 (lightweight)",
        TelemetryLevel.Full => "2 (full)",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a telemetry level."),
    };

    /// <summary>What the level sends, in one sentence a non-engineer understands.</summary>
    public static string Describe(TelemetryLevel level) => level switch
    {
        TelemetryLevel.Off => "Nothing leaves this installation; this level is reserved for holders of a zero-telemetry license.",
        TelemetryLevel.Lightweight => "Usage and configuration data is sent, but nothing that could tie it to a person or an organisation: no e-mail addresses (plain or hashed), IP addresses, external account ids or license keys.",
        TelemetryLevel.Full => "Everything in the usage snapshot is sent, including user e-mail addresses and IP addresses.",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a telemetry level."),
    };

    /// <summary>Where a level came from, in words.</summary>
    public static string Describe(LevelSource source) => source switch
    {
        LevelSource.Environment => $"the {EnvironmentVariable} environment variable",
        LevelSource.AdminChoice => "the admin's recorded choice",
        LevelSource.AppSettings => "Telemetry:Level in the application settings",
        LevelSource.Default => "the default (nothing was configured)",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a level source."),
    };
}
