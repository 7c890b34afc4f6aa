using System.Text;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Tests.Redaction;

/// <summary>Every form of address that people and machines write (issue 12), and the near misses that must be kept.</summary>
public class PersonalDataMaskerFormsTests
{
    [Theory]
    // Percent-encoded: the mask covers the encoded text.
    [InlineData("GET /users?email=ada%40example.com&x=1", "GET /[email removed]&x=1")]
    [InlineData("jane.doe%2Bci%40acme-robotics.com", "[email removed]")]
    [InlineData("to=ADA%40EXAMPLE.COM;", "[email removed];")]
    [InlineData("double ada%2540example.com", "double [email removed]")]
    // JSON escapes that survived a double encoding.
    [InlineData(@"{""email"":""ada\u0040example.com""}", @"{""email"":""[email removed]""}")]
    [InlineData(@"ada\\u0040example.com", "[email removed]")]
    [InlineData(@"ada\x40example.com", "[email removed]")]
    // Local parts with every RFC 5322 character, quoted or not.
    [InlineData("\"ada lovelace\"@example.com wrote", "[email removed] wrote")]
    [InlineData("{ada}@example.com", "[email removed]")]
    [InlineData("ada=lovelace@example.com", "[email removed]")]
    [InlineData("!#$%&'*+-/=?^_`{|}~.x@example.com", "[email removed]")]
    [InlineData("user 'ada@example.com' not found", "user '[email removed]' not found")]
    [InlineData("`ada@example.com`", "`[email removed]`")]
    // IP literals as domains.
    [InlineData("ada@[10.1.2.3]", "[email removed]")]
    [InlineData("ada@[IPv6:2001:db8::1] bounced", "[email removed] bounced")]
    // User and password in URL authorities.
    [InlineData("clone https://ada:s3cret@git.example.com/acme/infra.git failed", "clone https://[email removed]/acme/infra.git failed")]
    [InlineData("postgres://coder:p%40ss@db.internal:5432/coder", "postgres://[email removed]:5432/coder")]
    [InlineData("redis://:hunter2@10.0.0.5:6379", "redis://[email removed]:6379")]
    [InlineData("a://x:https://ada:p%40ss%40git.example.com/", "a://x:https://[email removed]/")]
    [InlineData(@"ada%06\u0040example.com", "[email removed]")]
    [InlineData("https://ada@[2001:db8::1]:8443/", "https://[email removed]:8443/")]
    // Found by the property test: a local part the masker does not read (a bracket, a lone parenthesis) still loses its host.
    [InlineData("x h)@deu.example.com y", "x h)[email removed] y")]
    [InlineData("x %5b\\\\u00401blb.example.com y", "x %5b[email removed] y")]
    public void Mask_EmailForms_NothingOfTheAddressRemains(string text, string expected)
    {
        var masked = PersonalDataMasker.Mask(text, out var emails, out _);

        Assert.Equal(expected, masked);
        Assert.True(emails >= 1);
        Assert.DoesNotContain("ada", masked, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    // Host names that embed an IP address, as clouds and wildcard DNS services write them.
    [InlineData("ip-10-1-2-3.ec2.internal", "ip-[ip removed].ec2.internal")]
    [InlineData("node ip-10-0-1-23.eu-central-1.compute.internal is not ready", "node ip-[ip removed].eu-central-1.compute.internal is not ready")]
    [InlineData("hostname ip-10-1-2-3", "hostname ip-[ip removed]")]
    // Found by the property test: a dashed quad run into a date; the quad goes, the date stays.
    [InlineData("at 137-13-253-1552024-05-01T12:34:56Z", "at [ip removed]2024-05-01T12:34:56Z")]

    [InlineData("ec2-203-0-113-9.compute-1.amazonaws.com", "ec2-[ip removed].compute-1.amazonaws.com")]
    [InlineData("https://10-1-2-3.nip.io/", "https://[ip removed].nip.io/")]
    [InlineData("app-10-1-2-3.nip.io", "app-[ip removed].nip.io")]
    [InlineData("10.1.2.3.sslip.io", "[ip removed].sslip.io")]
    [InlineData("203-0-113-9.static.example.net", "[ip removed].static.example.net")]
    [InlineData("host 10-1-2-3mailto:", "host [ip removed]mailto:")]
    [InlineData("ec2-248-16-55-1701x", "ec2-[ip removed]x")]
    // IPv6 glued to hex-looking words: the address is masked with the hex word it touches.
    [InlineData("peer cafe2001:db8::1 down", "peer [ip removed] down")]
    [InlineData("node.1:2001:db8::1", "node.[ip removed]")]
    [InlineData("deadbeef::1", "[ip removed]")]
    [InlineData("1.2.3.4215f:4d13:b99e:fbe2:1eb1:b242:cd46:e827", "[ip removed]")]
    [InlineData("fe80::12345.6.7.8", "[ip removed]")]
    // Every textual form IPAddress accepts for IPv6.
    [InlineData("via ::ffff:10.1.2.3", "via [ip removed]")]
    [InlineData("via 64:ff9b::192.0.2.33.", "via [ip removed].")]
    [InlineData("FE80::1%eth0", "[ip removed]%eth0")]
    [InlineData("fe80::1%25eth0", "[ip removed]%25eth0")]
    [InlineData("[2001:DB8::1]:443", "[[ip removed]]:443")]
    [InlineData("1:2:3:4:5:6:7::", "[ip removed]")]
    [InlineData("::1:2:3:4:5:6:7", "[ip removed]")]
    [InlineData("1::", "[ip removed]")]
    [InlineData("0:0:0:0:0:0:0:1", "[ip removed]")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "[ip removed]")]
    [InlineData("fe80%3A%3A1", "[ip removed]")]
    [InlineData("http%3A%2F%2F10.0.0.1%3A8080", "http%3A%2F%2F[ip removed]%3A8080")]
    // IPv4 touching other text.
    [InlineData("10.1.2.3:8080", "[ip removed]:8080")]
    [InlineData("x10.1.2.3y", "x[ip removed]y")]
    [InlineData("010.001.002.003", "[ip removed]")]
    [InlineData("1.2.3.464.223.93.244", "[ip removed]")]
    [InlineData("256.1.1.1", "[ip removed]")]
    [InlineData("v1.2.3.4567", "v[ip removed]")]
    public void Mask_IpForms_Masked(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataMasker.Mask(text, out _, out var ips));
        Assert.True(ips >= 1);
    }

    [Theory]
    [InlineData("v2.25.0")]
    [InlineData("coder v2.25.0-rc.1+abc123")]
    [InlineData("terraform 1.2.3")]
    [InlineData("took 12:34:56")]
    [InlineData("12:34:56.789")]
    [InlineData("2024-05-01T12:34:56.789+00:00")]
    [InlineData("at 2024-05-01T12:34:56Z, 2024-05-01 12:34:56 UTC")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("workspace 550e8400-e29b-41d4-a716-446655440000 started")]
    [InlineData("backup-2024-05-01-12-00.tar.gz")]
    [InlineData("build 1-2-3-4-5")]
    [InlineData("step 1-2-3")]
    [InlineData("aa:bb:cc:dd:ee:ff")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("Foo :: Bar")]
    [InlineData("@coder/ui and @types/node")]
    [InlineData("npm install \"@types/node\"")]
    [InlineData("\"a\", \"@coder/ui\"")]
    [InlineData("foo @ bar")]
    [InlineData("50% done, 100%")]
    [InlineData(@"C:\Users\coder\new")]
    [InlineData("https://coder.com/docs/admin?x=1#y")]
    [InlineData("main.tf:42: unexpected token")]
    [InlineData("http://localhost:3000/api")]
    [InlineData("ratio 1.5 of 2.5")]
    public void Mask_NearMiss_KeptByteForByte(string text)
    {
        Assert.Same(text, PersonalDataMasker.Mask(text, out var emails, out var ips));
        Assert.Equal(0, emails + ips);
        Assert.False(PersonalDataMasker.ContainsPersonalData(text));
    }

    [Fact]
    public void Mask_AddressInsideAWord_MasksTooMuchRatherThanTooLittle()
    {
        // "std::vector": "d::" is a valid IPv6 address, and so is "a::"; "::" alone (no hex digit) is kept.
        Assert.Equal("[ip removed]", PersonalDataMasker.Mask("a::"));
        Assert.Same("::", PersonalDataMasker.Mask("::"));
        Assert.Equal("error in st[ip removed]vector<int>", PersonalDataMasker.Mask("error in std::vector<int>"));
        Assert.Equal("Foo[ip removed]r", PersonalDataMasker.Mask("Foo::Bar"));
    }

    [Fact]
    public void Redact_Level1_DoubleEncodedAndUrlForms_MaskedInsideTheJsonString()
    {
        // The JSON string holds "ada\u0040example.com" literally once the redactor has unescaped it.
        const string json = """{"provisioner_jobs":[{"error":"ada\\u0040example.com; clone https://ada:s3cret@git.example.com/x; ip-10-1-2-3"}]}""";

        var payload = Redactor.Default.RedactToArray(Encoding.UTF8.GetBytes(json), PayloadKind.Snapshot, TelemetryLevel.Lightweight);

        Assert.Equal(
            """{"provisioner_jobs":[{"error":"[email removed]; clone https://[email removed]/x; ip-[ip removed]"}]}""",
            Encoding.UTF8.GetString(payload.Bytes.Span));
        Assert.Equal(2, payload.Result.MaskedEmails);
        Assert.Equal(1, payload.Result.MaskedIpAddresses);
    }

    [Fact]
    public void Mask_LongLocalPart_MasksTheLast64Bytes()
    {
        var text = new string('a', 100) + "@example.com";

        Assert.Equal(new string('a', 36) + "[email removed]", PersonalDataMasker.Mask(text));
    }
}
