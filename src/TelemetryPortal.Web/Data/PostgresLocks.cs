namespace TelemetryPortal.Web.Data;

/// <summary>
/// The PostgreSQL advisory lock keys the portal's instances agree on. Each is a constant 64-bit key within the database
/// (advisory locks are per database), chosen so that it is unlikely to meet another application's.
/// </summary>
public static class PostgresLocks
{
    /// <summary>Held (transaction lock) while an entry is appended to the consent ledger: appends never interleave.</summary>
    public const long Ledger = 0x54504C_0001;

    /// <summary>
    /// The consent gate: shared while a payload is sent, exclusive while the level in force changes (a decision, a
    /// license applied, revoked or expired), so that no instance sends at a level another has already lowered.
    /// </summary>
    public const long ConsentGate = 0x54504C_0002;

    /// <summary>Held while an instance starts (migrations, the first admin account, keys): instances starting together take turns.</summary>
    public const long Startup = 0x54504C_0003;
}
