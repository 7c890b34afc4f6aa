using System.Net;
using System.Text.RegularExpressions;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

/// <summary>Security headers, secure cookies over HTTPS and the sign-in rate limit.</summary>
public sealed partial class SecurityTests
{
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/dictionary")]
    public async Task Get_AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreatePortalClient();

        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Get_Page_ImportMapCarriesTheNonceOfItsPolicy()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreatePortalClient();

        // Twenty requests, twenty random nonces: each must appear in the page exactly as in the header
        // (a Base64 nonce with a '+' was written into the page HTML-encoded, about one page in three).
        var nonces = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var response = await client.GetAsync("/account/login", TestContext.Current.CancellationToken);
            var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            var nonce = NoncePattern().Match(response.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value;
            Assert.True(nonce.Length >= 22, $"nonce '{nonce}' is too short");
            Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html, StringComparison.Ordinal);
            nonces.Add(nonce);
        }

        Assert.Equal(20, nonces.Count);
    }

    [Fact]
    public async Task SignIn_OverHttps_SetsSecureCookies()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });

        var response = await client.SignInAsync("admin", PortalFactory.AdminPassword);

        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("TelemetryPortal.Auth=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_TooManyAttemptsFromOneAddress_Is429WithAClearMessage()
    {
        await using var factory = new PortalFactory(new Dictionary<string, string?> { ["Authentication:SignInAttemptsPerMinute"] = "3" });
        using var client = factory.CreatePortalClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync("admin", "wrong-password")).StatusCode);
        }

        var limited = await client.SignInAsync("admin", PortalFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("Too many sign-in attempts from your address. Wait a minute, then try again.",
            await limited.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.NotNull(limited.Headers.RetryAfter);
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login", TestContext.Current.CancellationToken)).StatusCode);
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();
}
