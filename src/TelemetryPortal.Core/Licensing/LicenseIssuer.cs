using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TelemetryPortal.Core.Licensing;

/// <summary>Signs zero-telemetry licenses: ES256 JWTs with the claims <see cref="LicenseVerifier"/> checks.</summary>
public sealed class LicenseIssuer(ECDsa signingKey, string keyId)
{
    public const string Issuer = "telemetry-portal";
    public const string Audience = "telemetry-portal/zero-telemetry";

    public string KeyId { get; } = keyId;

    public string Issue(ZeroTelemetryLicense license)
    {
        ArgumentNullException.ThrowIfNull(license);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = license.IssuedAt.UtcDateTime,
            NotBefore = license.NotBefore.UtcDateTime,
            Expires = license.ExpiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(LicenseKeys.SecurityKey(signingKey, KeyId), SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Jti] = license.LicenseId.ToString(),
                ["organisation"] = license.Organisation,
                ["deployment_ids"] = license.DeploymentIds.Select(d => d.ToString()).ToArray(),
                ["features"] = license.Features.ToArray(),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
