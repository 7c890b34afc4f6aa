using TelemetryPortal.Core.Redaction;

namespace TelemetryPortal.Core.Tests.Redaction;

public class PersonalDataMaskerTests
{
    [Theory]
    [InlineData("terraform: user alice@example.com not found", "terraform: user [email removed] not found")]
    [InlineData("contact: j.doe+ci@mail.corp.example.co.uk.", "contact: [email removed].")]
    [InlineData("<bob_smith@acme.io>", "<[email removed]>")]
    [InlineData("git@github.com:acme/infra.git", "[email removed]:acme/infra.git")]
    [InlineData("josé@exämple.de", "[email removed]")]
    public void Mask_Email_ReplacedWithPlaceholder(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataMasker.Mask(text, out var emails, out _));
        Assert.Equal(1, emails);
    }

    [Theory]
    [InlineData("dial tcp 10.0.12.7:5432: connect: connection refused", "dial tcp [ip removed]:5432: connect: connection refused")]
    [InlineData("from 192.168.1.1, then 8.8.8.8", "from [ip removed], then [ip removed]")]
    [InlineData("cidr 172.16.0.0/12", "cidr [ip removed]/12")]
    [InlineData("host10.1.2.3", "host[ip removed]")]
    [InlineData("listen [2001:db8::1]:443 failed", "listen [[ip removed]]:443 failed")]
    [InlineData("peer fe80::1ff:fe23:4567:890a%eth0 down", "peer [ip removed]%eth0 down")]
    [InlineData("addr=::1", "addr=[ip removed]")]
    [InlineData("at ::ffff:10.0.0.1: refused", "at [ip removed]: refused")]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[ip removed]")]
    [InlineData("host:fe80::1", "host:[ip removed]")]
    [InlineData("reached fe80::1.foo then", "reached [ip removed].foo then")]
    public void Mask_IpAddress_ReplacedWithPlaceholder(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataMasker.Mask(text, out _, out var ips));
        Assert.True(ips >= 1);
    }

    [Theory]
    [InlineData("2024-05-01T12:34:56.789+00:00")]
    [InlineData("2024-05-01T12:34:56Z")]
    [InlineData("started 12:34:56, took 1.5s")]
    [InlineData("at 12:34:56 UTC")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("version v2.15.0")]
    [InlineData("@types/node")]
    [InlineData("aa:bb:cc:dd:ee:ff")]
    [InlineData("no address here")]
    [InlineData("")]
    public void Mask_NoPersonalData_ReturnsSameText(string text)
    {
        Assert.Same(text, PersonalDataMasker.Mask(text, out var emails, out var ips));
        Assert.Equal(0, emails + ips);
        Assert.False(PersonalDataMasker.ContainsPersonalData(text));
    }

    [Theory]
    [InlineData("useraabc:5009::fc73:46c8:8685 x", "user[ip removed] x")]
    [InlineData("cafée80::1", "café[ip removed]")]
    [InlineData("fe80::503bcaféerror", "[ip removed]éerror")]
    [InlineData("error in std::vector<int>", "error in st[ip removed]vector<int>")]
    [InlineData("Foo::Bar", "Foo[ip removed]r")]
    public void Mask_AddressGluedToWords_IsMaskedAnyway(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataMasker.Mask(text));
    }

    [Fact]
    public void Mask_IpInsideEmailDomain_OnePlaceholder()
    {
        Assert.Equal("[email removed]", PersonalDataMasker.Mask("root@10.0.0.1"));
    }
}
