namespace TelemetryPortal.Core.Telemetry;

/// <summary>Everything that decides the level in force.</summary>
/// <param name="Environment">The parsed <c>CODER_TELEMETRY</c>, when set.</param>
/// <param name="AdminChoice">The admin's latest recorded choice, when there is one.</param>
/// <param name="AppSettings"><c>Telemetry:Level</c>, when configured.</param>
/// <param name="HasZeroTelemetryLicense">Whether a valid zero-telemetry license for this deployment is applied.</param>
public sealed record LevelInputs(
    TelemetryLevel? Environment,
    TelemetryLevel? AdminChoice,
    TelemetryLevel? AppSettings,
    bool HasZeroTelemetryLicense);

/// <summary>The level in force and why.</summary>
/// <param name="Requested">The level asked for by the winning source.</param>
/// <param name="Effective">The level that actually applies to what is sent.</param>
/// <param name="Source">Where <paramref name="Requested"/> came from.</param>
/// <param name="Pinned">Whether the environment pins the level, so nobody can change it in the portal.</param>
/// <param name="Reason">One sentence saying why <paramref name="Effective"/> is in force.</param>
/// <param name="Warning">What the admin should know, e.g. that level 0 needs a license; otherwise <see langword="null"/>.</param>
public sealed record LevelResolution(
    TelemetryLevel Requested,
    TelemetryLevel Effective,
    LevelSource Source,
    bool Pinned,
    string Reason,
    string? Warning);

/// <summary>
/// Resolves the level: <c>CODER_TELEMETRY</c> pins it, then the admin's choice, then
/// <c>Telemetry:Level</c>, then 2. Level 0 takes effect only with a zero-telemetry license;
/// without one the effective level is 1.
/// </summary>
public static class LevelResolver
{
    public static LevelResolution Resolve(LevelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);

        var (requested, source) = inputs switch
        {
            { Environment: { } env } => (env, LevelSource.Environment),
            { AdminChoice: { } choice } => (choice, LevelSource.AdminChoice),
            { AppSettings: { } configured } => (configured, LevelSource.AppSettings),
            _ => (TelemetryLevels.Default, LevelSource.Default),
        };
        var pinned = source == LevelSource.Environment;
        var from = TelemetryLevels.Describe(source);

        if (requested == TelemetryLevel.Off && !inputs.HasZeroTelemetryLicense)
        {
            return new LevelResolution(
                requested,
                TelemetryLevel.Lightweight,
                source,
                pinned,
                $"Level 0 was requested by {from}, but no valid zero-telemetry license is applied, so the portal runs at level 1.",
                "Level 0 (off) needs a valid zero-telemetry license for this deployment. Until one is applied, telemetry is sent at level 1 (lightweight).");
        }

        var reason = requested == TelemetryLevel.Off
            ? $"Level 0 was requested by {from} and a valid zero-telemetry license is applied."
            : $"Level {(int)requested} was set by {from}.";
        return new LevelResolution(requested, requested, source, pinned, reason, Warning: null);
    }
}
