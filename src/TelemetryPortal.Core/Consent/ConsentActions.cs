namespace TelemetryPortal.Core.Consent;

/// <summary>
/// The kinds of consent-relevant events the ledger records. Stored as these exact strings, so
/// they are part of the hashed record and must never be renamed.
/// </summary>
public static class ConsentActions
{
    /// <summary>The admin chose a level (a level decision; it has a receipt).</summary>
    public const string LevelChosen = "LevelChosen";

    /// <summary><c>CODER_TELEMETRY</c> pinned the level at start (or pinned it to another level).</summary>
    public const string LevelPinned = "LevelPinned";

    /// <summary><c>CODER_TELEMETRY</c> no longer pins the level at start.</summary>
    public const string LevelUnpinned = "LevelUnpinned";

    /// <summary>The level that applies to what is sent changed, e.g. level 0 falling back to 1.</summary>
    public const string EffectiveLevelChanged = "EffectiveLevelChanged";

    /// <summary>A zero-telemetry license was requested.</summary>
    public const string LicenseRequested = "LicenseRequested";

    /// <summary>A license request was approved.</summary>
    public const string LicenseApproved = "LicenseApproved";

    /// <summary>A license request was denied.</summary>
    public const string LicenseDenied = "LicenseDenied";

    /// <summary>A license was applied to this deployment.</summary>
    public const string LicenseApplied = "LicenseApplied";

    /// <summary>An applied license expired.</summary>
    public const string LicenseExpired = "LicenseExpired";

    /// <summary>An applied license was revoked.</summary>
    public const string LicenseRevoked = "LicenseRevoked";

    /// <summary>A pending license request was withdrawn by its requester.</summary>
    public const string LicenseWithdrawn = "LicenseWithdrawn";

    /// <summary>A license was refused because it was revoked or replaced before (its id is refused for good).</summary>
    public const string LicenseRefused = "LicenseRefused";

    /// <summary>
    /// The portal found the ledger's append-only triggers missing or altered at start and recreated them. Whatever
    /// was done while they were missing is caught only by the hash chain and by receipts.
    /// </summary>
    public const string ProtectionRestored = "ProtectionRestored";

    /// <summary>Every action, in the order filters list them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LevelChosen, LevelPinned, LevelUnpinned, EffectiveLevelChanged,
        LicenseRequested, LicenseWithdrawn, LicenseApproved, LicenseDenied, LicenseApplied, LicenseExpired, LicenseRevoked, LicenseRefused,
        ProtectionRestored,
    ];

    /// <summary>Whether <paramref name="action"/> is one of <see cref="All"/> (exact spelling).</summary>
    public static bool IsDefined(string? action) => action is not null && All.Contains(action, StringComparer.Ordinal);

    /// <summary>The action in a few plain words, e.g. "Level chosen".</summary>
    public static string Label(string action) => action switch
    {
        LevelChosen => "Level chosen",
        LevelPinned => "Pinned by the environment",
        LevelUnpinned => "Unpinned by the environment",
        EffectiveLevelChanged => "Effective level changed",
        LicenseRequested => "License requested",
        LicenseApproved => "License approved",
        LicenseDenied => "License denied",
        LicenseApplied => "License applied",
        LicenseExpired => "License expired",
        LicenseRevoked => "License revoked",
        LicenseWithdrawn => "License request withdrawn",
        LicenseRefused => "License refused",
        ProtectionRestored => "Append-only protection restored",
        _ => action,
    };
}
