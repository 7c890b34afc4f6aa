using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace TelemetryPortal.Core.Licensing;

/// <summary>A public key that licenses may be signed with, known by its <c>kid</c>.</summary>
/// <param name="Development">Licenses signed with it are development licenses (the embedded default's own key).</param>
public sealed record TrustedLicenseKey(string KeyId, ECDsa PublicKey, bool Development);

/// <summary>P-256 keys in PEM, for signing (private) and verifying (public) licenses with ES256.</summary>
public static class LicenseKeys
{
    public static ECDsa Create() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Reads a PEM key (private or public).</summary>
    /// <exception cref="ArgumentException">The text is not a P-256 key in PEM.</exception>
    public static ECDsa FromPem(string pem, string what)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ArgumentException($"{what} is not an EC key in PEM format: {ex.Message}", ex);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new ArgumentException($"{what} is a {key.KeySize}-bit key; licenses use P-256 (ES256).");
        }

        return key;
    }

    public static string PrivatePem(ECDsa key) => key.ExportECPrivateKeyPem();

    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    internal static ECDsaSecurityKey SecurityKey(ECDsa key, string keyId) => new(key) { KeyId = keyId };
}
