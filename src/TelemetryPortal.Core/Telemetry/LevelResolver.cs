namespace TelemetryPortal.Core.Telemetry;

/// <summary>Everything that decides the level in force.</summary>
/// <param name="Environment">The parsed <c>CODER_TELEMETRY</c>, when set.</param>
/// <param name="AdminChoice">The admin's latest recorded choice, when there is one.</param>
/// <param name="AppSettings"><c>Telemetry:Level</c>, when configured.</param>
/// <param name="HasZeroTelemetryLicense">Whether a valid zero-telemetry license for this deployment is applied.</param>
/// <param name="LedgerBrokenAt">
/// The first consent ledger entry that fails verification, when one does. <paramref name="AdminChoice"/> must then
/// be the latest decision recorded before it, and the level is the most private of that choice and the settings.
/// </param>
public sealed record LevelInputs(
    TelemetryLevel? Environment,
    TelemetryLevel? AdminChoice,
    TelemetryLevel? AppSettings,
    bool HasZeroTelemetryLicense,
    long? LedgerBrokenAt = null);

/// <summary>The level in force and why.</summary>
/// <param name="Requested">The level asked for by the winning source.</param>
/// <param name="Effective">The level that actually applies to what is sent.</param>
/// <param name="Source">Where <paramref name="Requested"/> came from.</param>
/// <param name="Pinned">Whether the environment pins the level, so nobody can change it in the portal.</param>
/// <param name="Reason">One sentence saying why <paramref name="Effective"/> is in force.</param>
/// <param name="Warning">What the admin should know, e.g. that level 0 needs a license; otherwise <see langword="null"/>.</param>
/// <param name="LedgerBrokenAt">The first consent ledger entry that fails verification, when one does and the level was resolved without trusting it.</param>
public sealed record LevelResolution(
    TelemetryLevel Requested,
    TelemetryLevel Effective,
    LevelSource Source,
    bool Pinned,
    string Reason,
    string? Warning,
    long? LedgerBrokenAt = null);

/// <summary>
/// Resolves the level: <c>CODER_TELEMETRY</c> pins it, then the admin's choice, then
/// <c>Telemetry:Level</c>, then 2. Level 0 takes effect only with a zero-telemetry license;
/// without one the effective level is 1. When the consent ledger fails verification (and nothing
/// pins the level), the admin's choice counts only from the entries before the break, and the
/// level is the most private of that choice and the settings.
/// </summary>
public static class LevelResolver
{
    public static LevelResolution Resolve(LevelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);

        var (configured, configuredSource) = inputs.AppSettings is { } setting
            ? (setting, LevelSource.AppSettings)
            : (TelemetryLevels.Default, LevelSource.Default);
        string? untrusted = null;
        TelemetryLevel requested;
        LevelSource source;
        if (inputs is { Environment: { } env })
        {
            (requested, source) = (env, LevelSource.Environment);
        }
        else if (inputs.LedgerBrokenAt is { } brokenAt)
        {
            // A broken ledger may have had its decisions rewritten: of what is left to go by, the most private wins.
            (requested, source) = inputs.AdminChoice is { } choice && choice <= configured
                ? (choice, LevelSource.AdminChoice)
                : (configured, configuredSource);
            untrusted = inputs.AdminChoice is { } intact
                ? $"The consent ledger fails verification at entry {brokenAt}, so decisions recorded from there on are not trusted: the portal takes the more private of the admin's last decision before it (level {(int)intact}) and {TelemetryLevels.Describe(configuredSource)} (level {(int)configured}). "
                : $"The consent ledger fails verification at entry {brokenAt}, so decisions recorded from there on are not trusted, and none was recorded before it: the level comes from {TelemetryLevels.Describe(configuredSource)}. ";
        }
        else
        {
            (requested, source) = inputs.AdminChoice is { } choice ? (choice, LevelSource.AdminChoice) : (configured, configuredSource);
        }

        var pinned = source == LevelSource.Environment;
        var from = TelemetryLevels.Describe(source);
        var brokenAtUsed = untrusted is null ? null : inputs.LedgerBrokenAt;

        if (requested == TelemetryLevel.Off && !inputs.HasZeroTelemetryLicense)
        {
            return new LevelResolution(
                requested,
                TelemetryLevel.Lightweight,
                source,
                pinned,
                $"{untrusted}Level 0 was requested by {from}, but no valid zero-telemetry license is applied, so the portal runs at level 1.",
                "Level 0 (off) needs a valid zero-telemetry license for this deployment. Until one is applied, telemetry is sent at level 1 (lightweight).",
                brokenAtUsed);
        }

        var reason = requested == TelemetryLevel.Off
            ? $"Level 0 was requested by {from} and a valid zero-telemetry license is applied."
            : source == LevelSource.Default
                ? $"Level {(int)requested} applies by default: nothing was configured."
                : $"Level {(int)requested} was set by {from}.";
        return new LevelResolution(requested, requested, source, pinned, untrusted + reason, Warning: null, brokenAtUsed);
    }
}
