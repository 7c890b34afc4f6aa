using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TelemetryPortal.Core.Licensing;

/// <summary>Why a license was refused.</summary>
public enum LicenseFailure
{
    None,
    NotALicense,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
    OtherDeployment,
    NotZeroTelemetry,

    /// <summary>The license was revoked on this portal; its id is refused for good, whatever the token's encoding.</summary>
    Revoked,

    /// <summary>A newer license replaced it on this portal; an older license is not applied again.</summary>
    Superseded,
}

/// <summary>The verdict on a license: the license when valid, otherwise the failure and a message that says what is wrong.</summary>
public sealed record LicenseVerification(ZeroTelemetryLicense? License, LicenseFailure Failure, string Message, bool Development = false)
{
    public bool IsValid => Failure == LicenseFailure.None;
}

/// <summary>
/// Checks a license offline: the signature against the trusted key named by <c>kid</c>, the validity
/// window, the deployment binding and the feature. Each failure has its own message.
/// </summary>
public sealed class LicenseVerifier(IReadOnlyList<TrustedLicenseKey> trustedKeys)
{
    public async Task<LicenseVerification> VerifyAsync(string token, Guid deploymentId, DateTimeOffset now)
    {
        token = token?.Trim() ?? "";
        var handler = new JsonWebTokenHandler();
        if (token.Length == 0 || token.Length > 16_384 || !handler.CanReadToken(token))
        {
            return Fail(LicenseFailure.NotALicense, "This is not a license: a license is a signed token of three dot-separated parts (header.payload.signature).");
        }

        JsonWebToken jwt;
        try
        {
            jwt = handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Fail(LicenseFailure.NotALicense, "This is not a license: its header or payload cannot be read.");
        }

        if (jwt.Alg != SecurityAlgorithms.EcdsaSha256)
        {
            return Fail(LicenseFailure.NotALicense, $"This is not a zero-telemetry license: it is signed with {jwt.Alg}, not ES256.");
        }

        var key = trustedKeys.FirstOrDefault(k => string.Equals(k.KeyId, jwt.Kid, StringComparison.Ordinal));
        if (key is null)
        {
            return Fail(LicenseFailure.UnknownKey, $"The license is signed with an unknown key (kid \"{jwt.Kid}\"); this portal trusts {Describe(trustedKeys)}.");
        }

        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = LicenseIssuer.Issuer,
            ValidAudience = LicenseIssuer.Audience,
            IssuerSigningKey = LicenseKeys.SecurityKey(key.PublicKey, key.KeyId),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // The window is checked below against the portal's own clock, with a message per case.
            ValidateLifetime = false,
        });
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException
                ? Fail(LicenseFailure.BadSignature, "The license's signature does not match its contents: it was altered or signed by someone else.")
                : Fail(LicenseFailure.NotALicense, $"This is not a zero-telemetry license: {result.Exception?.Message}");
        }

        ZeroTelemetryLicense license;
        try
        {
            license = Read(jwt, key.KeyId);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or JsonException)
        {
            return Fail(LicenseFailure.NotALicense, $"This is not a zero-telemetry license: {ex.Message}");
        }

        if (now >= license.ExpiresAt)
        {
            return new(license, LicenseFailure.Expired, $"The license expired on {license.ExpiresAt:yyyy-MM-dd}.", key.Development);
        }

        if (now < license.NotBefore)
        {
            return new(license, LicenseFailure.NotYetValid, $"The license is valid only from {license.NotBefore:yyyy-MM-dd HH:mm} UTC.", key.Development);
        }

        if (!license.DeploymentIds.Contains(deploymentId))
        {
            return new(license, LicenseFailure.OtherDeployment,
                $"The license is for another deployment ({string.Join(", ", license.DeploymentIds)}), not this one ({deploymentId}).", key.Development);
        }

        if (!license.Features.Contains(ZeroTelemetryLicense.ZeroTelemetryFeature))
        {
            return new(license, LicenseFailure.NotZeroTelemetry, "The license is valid but is not a zero-telemetry license: it does not carry the zero_telemetry feature.", key.Development);
        }

        return new(license, LicenseFailure.None, key.Development ? "Valid development license." : "Valid license.", key.Development);
    }

    private static ZeroTelemetryLicense Read(JsonWebToken jwt, string keyId)
    {
        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || !Guid.TryParse(jti, out var licenseId))
        {
            throw new FormatException("it has no license id (jti).");
        }

        if (!jwt.TryGetPayloadValue<string>("organisation", out var organisation) || string.IsNullOrWhiteSpace(organisation))
        {
            throw new FormatException("it names no organisation.");
        }

        // Without exp the token reads as ending on 0001-01-01: say what is missing instead of "expired".
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _))
        {
            throw new FormatException("it has no expiry date (exp); a zero-telemetry license always says when it ends.");
        }

        var deployments = StringList(jwt, "deployment_ids").Select(Guid.Parse).ToList();
        var features = StringList(jwt, "features");
        var issued = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : jwt.ValidFrom;
        return new ZeroTelemetryLicense(licenseId, organisation, deployments, features, issued,
            new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), keyId);
    }

    private static List<string> StringList(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<string[]>(claim, out var many) ? [.. many]
        : jwt.TryGetPayloadValue<string>(claim, out var one) ? [one]
        : throw new FormatException($"it has no {claim}.");

    private static string Describe(IReadOnlyList<TrustedLicenseKey> keys) =>
        keys.Count == 0 ? "no keys" : string.Join(", ", keys.Select(k => $"\"{k.KeyId}\""));

    private static LicenseVerification Fail(LicenseFailure failure, string message) => new(null, failure, message);
}
