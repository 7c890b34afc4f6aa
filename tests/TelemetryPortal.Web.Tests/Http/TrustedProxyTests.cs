using System.Net;
using System.Text;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

/// <summary>
/// <c>X-Forwarded-*</c> from a trusted reverse proxy give the client's scheme and address; from anyone
/// else they are ignored. On real Kestrel, so that the caller's address is real (loopback).
/// </summary>
public sealed class TrustedProxyTests
{
    [Fact]
    public async Task FromATrustedProxy_TheForwardedSchemeAndClientAddressCount()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Portal:TrustedProxies:0"] = "127.0.0.1" });
        var url = portal.StartOnKestrel();
        using var http = new HttpClient { BaseAddress = url };

        // The TLS ended at the proxy: cookies are Secure as for https.
        using var page = Forwarded(HttpMethod.Get, "/account/login", "https", "203.0.113.9");
        var login = await http.SendAsync(page, TestContext.Current.CancellationToken);
        Assert.All(login.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));

        // The client's address is the forwarded one: the collector's allowlist (loopback) refuses it, by name.
        using var report = Forwarded(HttpMethod.Post, "/collector/snapshot", "https", "203.0.113.9");
        report.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        var refused = await http.SendAsync(report, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("203.0.113.9", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTrustedProxies_ForwardedHeadersAreIgnored()
    {
        await using var portal = new PortalFactory();
        var url = portal.StartOnKestrel();
        using var http = new HttpClient { BaseAddress = url };

        using var page = Forwarded(HttpMethod.Get, "/account/login", "https", "203.0.113.9");
        var login = await http.SendAsync(page, TestContext.Current.CancellationToken);
        Assert.All(login.Headers.GetValues("Set-Cookie"), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));

        // Claiming another address gets nobody past the allowlist or out of it: the caller is loopback.
        using var report = Forwarded(HttpMethod.Post, "/collector/snapshot", "https", "203.0.113.9");
        report.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        report.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var accepted = await http.SendAsync(report, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("10.0.0.0/99")]
    public void Validator_TrustedProxyNotAnAddress_FailsNamingTheSettingAndValue(string value)
    {
        var result = new PortalOptionsValidator().Validate(null, new PortalOptions { TrustedProxies = [value] });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Portal:TrustedProxies", failure, StringComparison.Ordinal);
        Assert.Contains(value, failure, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Forwarded(HttpMethod method, string path, string proto, string client)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-Proto", proto);
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }
}
