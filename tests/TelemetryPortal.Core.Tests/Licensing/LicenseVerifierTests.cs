using System.Text;
using Microsoft.IdentityModel.Tokens;
using TelemetryPortal.Core.Licensing;

namespace TelemetryPortal.Core.Tests.Licensing;

public sealed class LicenseVerifierTests : IDisposable
{
    private static readonly Guid s_deployment = Guid.Parse("6a4c2a52-0f57-4a5c-9d0e-7a2f3b1c9e11");
    private static readonly DateTimeOffset s_now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private readonly System.Security.Cryptography.ECDsa _vendorKey = LicenseKeys.Create();
    private readonly System.Security.Cryptography.ECDsa _strangerKey = LicenseKeys.Create();

    private LicenseVerifier Verifier(bool development = false) =>
        new([new TrustedLicenseKey("vendor-2026", LicenseKeys.FromPem(LicenseKeys.PublicPem(_vendorKey), "public key"), development)]);

    private static ZeroTelemetryLicense License(
        Guid? deployment = null, string[]? features = null, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null) => new(
        Guid.NewGuid(), "Initech", [deployment ?? s_deployment], features ?? [ZeroTelemetryLicense.ZeroTelemetryFeature],
        s_now.AddDays(-1), notBefore ?? s_now.AddDays(-1), expires ?? s_now.AddDays(365), "vendor-2026");

    private string Issue(ZeroTelemetryLicense license, System.Security.Cryptography.ECDsa? key = null, string kid = "vendor-2026") =>
        new LicenseIssuer(key ?? _vendorKey, kid).Issue(license);

    [Fact]
    public async Task Verify_IssuedLicense_IsValidWithItsClaims()
    {
        var license = License();

        var result = await Verifier().VerifyAsync(Issue(license), s_deployment, s_now);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(license.LicenseId, result.License!.LicenseId);
        Assert.Equal("Initech", result.License.Organisation);
        Assert.Equal([s_deployment], result.License.DeploymentIds);
        Assert.Equal(license.ExpiresAt, result.License.ExpiresAt);
        Assert.Equal("vendor-2026", result.License.KeyId);
        Assert.False(result.Development);
    }

    [Fact]
    public async Task Verify_SignedByUnknownKey_SaysUnknownKey()
    {
        var result = await Verifier().VerifyAsync(Issue(License(), _strangerKey, kid: "someone-else"), s_deployment, s_now);

        Assert.Equal(LicenseFailure.UnknownKey, result.Failure);
        Assert.Contains("unknown key", result.Message, StringComparison.Ordinal);
        Assert.Contains("someone-else", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_StrangerKeyClaimingTrustedKid_SaysBadSignature()
    {
        var result = await Verifier().VerifyAsync(Issue(License(), _strangerKey), s_deployment, s_now);

        Assert.Equal(LicenseFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Verify_TamperedPayload_SaysBadSignature()
    {
        var parts = Issue(License()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("Initech", "Initrode", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var result = await Verifier().VerifyAsync(tampered, s_deployment, s_now);

        Assert.Equal(LicenseFailure.BadSignature, result.Failure);
        Assert.Null(result.License);
    }

    [Fact]
    public async Task Verify_Expired_SaysTheDate()
    {
        var result = await Verifier().VerifyAsync(Issue(License(expires: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))), s_deployment, s_now);

        Assert.Equal(LicenseFailure.Expired, result.Failure);
        Assert.Equal("The license expired on 2026-03-01.", result.Message);
    }

    [Fact]
    public async Task Verify_NotYetValid_SaysFromWhen()
    {
        var result = await Verifier().VerifyAsync(Issue(License(notBefore: s_now.AddDays(3))), s_deployment, s_now);

        Assert.Equal(LicenseFailure.NotYetValid, result.Failure);
    }

    [Fact]
    public async Task Verify_OtherDeployment_NamesBoth()
    {
        var other = Guid.NewGuid();

        var result = await Verifier().VerifyAsync(Issue(License(deployment: other)), s_deployment, s_now);

        Assert.Equal(LicenseFailure.OtherDeployment, result.Failure);
        Assert.Contains(other.ToString(), result.Message, StringComparison.Ordinal);
        Assert.Contains(s_deployment.ToString(), result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithoutZeroTelemetryFeature_SaysSo()
    {
        var result = await Verifier().VerifyAsync(Issue(License(features: ["audit_log"])), s_deployment, s_now);

        Assert.Equal(LicenseFailure.NotZeroTelemetry, result.Failure);
        Assert.Contains("zero_telemetry", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJqdGkiOiIxIn0.")]
    public async Task Verify_NotALicense_SaysSo(string token)
    {
        var result = await Verifier().VerifyAsync(token, s_deployment, s_now);

        Assert.Equal(LicenseFailure.NotALicense, result.Failure);
        Assert.Contains("not a", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DevelopmentKey_MarksTheLicenseAsDevelopment()
    {
        var result = await Verifier(development: true).VerifyAsync(Issue(License()), s_deployment, s_now);

        Assert.True(result.IsValid);
        Assert.True(result.Development);
    }

    // The rule changed with issue 15: a license warns min(30, max(1, term / 4)) days before its end (it was 30 days
    // whatever the term, so a 30-day license was "expiring soon" the moment it was applied).
    [Fact]
    public void ExpiresSoon_LongLicense_WarnsThirtyDaysBeforeTheEnd()
    {
        var license = License(notBefore: s_now.AddDays(-335), expires: s_now.AddDays(30));

        Assert.Equal(365, license.TermDays);
        Assert.True(license.ExpiresSoon(s_now));
        Assert.False(license.ExpiresSoon(s_now.AddDays(-1)));
        Assert.Equal(30, license.DaysLeft(s_now));
        Assert.Equal(0, license.DaysLeft(s_now.AddDays(31)));
        Assert.False(license.ExpiresSoon(s_now.AddDays(31)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(30, 7)]
    [InlineData(45, 11)]
    [InlineData(120, 30)]
    [InlineData(365, 30)]
    public void WarningDays_IsAQuarterOfTheTermAtMostThirty(int termDays, int expected) =>
        Assert.Equal(expected, ZeroTelemetryLicense.WarningDays(termDays));

    [Fact]
    public void ExpiresSoon_ThirtyDayLicense_NotWhenApplied_OnlyInItsLastWeek()
    {
        var license = License(notBefore: s_now, expires: s_now.AddDays(30));

        Assert.Equal(30, license.TermDays);
        Assert.False(license.ExpiresSoon(s_now));
        Assert.False(license.ExpiresSoon(s_now.AddDays(22)));
        Assert.True(license.ExpiresSoon(s_now.AddDays(23)));
    }

    [Fact]
    public async Task Verify_NoExpiry_SaysItHasNoneRatherThanExpiredInYearOne()
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = LicenseIssuer.Issuer,
            Audience = LicenseIssuer.Audience,
            IssuedAt = s_now.UtcDateTime,
            NotBefore = s_now.UtcDateTime,
            SigningCredentials = new SigningCredentials(LicenseKeys.SecurityKey(_vendorKey, "vendor-2026"), SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Guid.NewGuid().ToString(),
                ["organisation"] = "Initech",
                ["deployment_ids"] = new[] { s_deployment.ToString() },
                ["features"] = new[] { ZeroTelemetryLicense.ZeroTelemetryFeature },
            },
        };
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);

        var result = await Verifier().VerifyAsync(token, s_deployment, s_now);

        Assert.Equal(LicenseFailure.NotALicense, result.Failure);
        Assert.Contains("no expiry date", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0001", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_NotAKey_NamesWhat()
    {
        var ex = Assert.Throws<ArgumentException>(() => LicenseKeys.FromPem("-----BEGIN NONSENSE-----", "Licensing:TrustedKeys:0:PublicKey"));

        Assert.StartsWith("Licensing:TrustedKeys:0:PublicKey", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _vendorKey.Dispose();
        _strangerKey.Dispose();
    }
}
