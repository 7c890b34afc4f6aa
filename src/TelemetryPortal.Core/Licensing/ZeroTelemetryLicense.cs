namespace TelemetryPortal.Core.Licensing;

/// <summary>
/// What a zero-telemetry license says, modelled on Coder's enterprise licenses: a JWT signed by the
/// vendor, checked offline against trusted public keys chosen by <c>kid</c>, bound to deployment ids.
/// </summary>
/// <param name="LicenseId">The license's id (<c>jti</c>).</param>
/// <param name="Organisation">Who holds it.</param>
/// <param name="DeploymentIds">The deployments it covers.</param>
/// <param name="Features">What it unlocks; a zero-telemetry license carries <see cref="ZeroTelemetryFeature"/>.</param>
/// <param name="KeyId">The <c>kid</c> of the key that signed it.</param>
public sealed record ZeroTelemetryLicense(
    Guid LicenseId,
    string Organisation,
    IReadOnlyList<Guid> DeploymentIds,
    IReadOnlyList<string> Features,
    DateTimeOffset IssuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset ExpiresAt,
    string KeyId)
{
    /// <summary>The feature a license needs for level 0.</summary>
    public const string ZeroTelemetryFeature = "zero_telemetry";

    /// <summary>The longest a license warns before it ends, in days.</summary>
    public const int ExpiryWarningDays = 30;

    /// <summary>The license's whole term in days (from <see cref="NotBefore"/> to <see cref="ExpiresAt"/>), rounded up.</summary>
    public int TermDays => TermDaysOf(NotBefore, ExpiresAt);

    /// <summary>Days from <paramref name="now"/> to expiry, rounded up; 0 once expired.</summary>
    public int DaysLeft(DateTimeOffset now) => DaysLeft(ExpiresAt, now);

    /// <summary>Whether the expiry warning applies now (see <see cref="WarningDays"/>).</summary>
    public bool ExpiresSoon(DateTimeOffset now) => ExpiresSoon(NotBefore, ExpiresAt, now);

    /// <summary>Days from <paramref name="now"/> to <paramref name="expiresAt"/>, rounded up; 0 once expired.</summary>
    public static int DaysLeft(DateTimeOffset expiresAt, DateTimeOffset now) =>
        now >= expiresAt ? 0 : (int)Math.Ceiling((expiresAt - now).TotalDays);

    /// <summary>The days from <paramref name="notBefore"/> to <paramref name="expiresAt"/>, rounded up; at least 1.</summary>
    public static int TermDaysOf(DateTimeOffset notBefore, DateTimeOffset expiresAt) =>
        Math.Max(1, (int)Math.Ceiling((expiresAt - notBefore).TotalDays));

    /// <summary>
    /// How many days before its end a license of <paramref name="termDays"/> days warns that it ends:
    /// min(<see cref="ExpiryWarningDays"/>, max(1, term / 4)). A long license warns 30 days ahead; a short one
    /// warns in its last quarter, so that it is not "expiring soon" the moment it is applied.
    /// </summary>
    public static int WarningDays(int termDays) => Math.Min(ExpiryWarningDays, Math.Max(1, termDays / 4));

    /// <summary>
    /// Whether a license valid from <paramref name="notBefore"/> to <paramref name="expiresAt"/> has not expired yet
    /// and has at most <see cref="WarningDays"/> of its term left.
    /// </summary>
    public static bool ExpiresSoon(DateTimeOffset notBefore, DateTimeOffset expiresAt, DateTimeOffset now) =>
        now < expiresAt && DaysLeft(expiresAt, now) <= WarningDays(TermDaysOf(notBefore, expiresAt));
}
