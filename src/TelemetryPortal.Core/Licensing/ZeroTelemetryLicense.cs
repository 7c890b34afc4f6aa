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

    /// <summary>How long before its expiry a license warns that it ends.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>Days from <paramref name="now"/> to expiry, rounded up; 0 once expired.</summary>
    public int DaysLeft(DateTimeOffset now) => DaysLeft(ExpiresAt, now);

    /// <summary>Whether the expiry warning applies: <see cref="ExpiryWarning"/> before the end.</summary>
    public bool ExpiresSoon(DateTimeOffset now) => ExpiresSoon(ExpiresAt, now);

    /// <summary>Days from <paramref name="now"/> to <paramref name="expiresAt"/>, rounded up; 0 once expired.</summary>
    public static int DaysLeft(DateTimeOffset expiresAt, DateTimeOffset now) =>
        now >= expiresAt ? 0 : (int)Math.Ceiling((expiresAt - now).TotalDays);

    /// <summary>Whether a license ending at <paramref name="expiresAt"/> has not expired yet but ends within <see cref="ExpiryWarning"/>.</summary>
    public static bool ExpiresSoon(DateTimeOffset expiresAt, DateTimeOffset now) => now < expiresAt && expiresAt - now <= ExpiryWarning;
}
