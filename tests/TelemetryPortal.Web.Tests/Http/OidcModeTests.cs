using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Http;

/// <summary><c>Authentication:Mode=Oidc</c> without a provider: what can be checked before the redirect (the e2e suite signs in for real).</summary>
public sealed class OidcModeTests
{
    private static readonly Dictionary<string, string?> OidcSettings = new()
    {
        ["Authentication:Mode"] = "Oidc",
        ["Authentication:Oidc:Authority"] = "https://login.example.com/realms/acme",
        ["Authentication:Oidc:ClientId"] = "telemetry-portal",
        ["Authentication:Oidc:RoleMap:portal-admins"] = "Admin",
        ["Authentication:Oidc:DisplayName"] = "Acme SSO",
    };

    [Fact]
    public async Task Start_OidcMode_RegistersTheProviderScheme()
    {
        await using var factory = new PortalFactory(OidcSettings);
        using var client = factory.CreatePortalClient();

        var scheme = await factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("OpenIdConnect");

        Assert.NotNull(scheme);
        Assert.Equal("Acme SSO", scheme.DisplayName);
    }

    [Fact]
    public async Task Login_OidcMode_OffersTheProviderInsteadOfThePasswordForm()
    {
        await using var factory = new PortalFactory(OidcSettings);
        using var client = factory.CreatePortalClient();

        var html = await client.GetStringAsync("/account/login?returnUrl=%2Ftelemetry%2Fdictionary", TestContext.Current.CancellationToken);

        Assert.Contains("Sign in with Acme SSO", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/account/external-login\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/telemetry/dictionary\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Input.Password\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csp_OidcMode_LetsFormsEndAtTheProvider()
    {
        await using var factory = new PortalFactory(OidcSettings);
        using var client = factory.CreatePortalClient();

        var response = await client.GetAsync("/account/login", TestContext.Current.CancellationToken);

        Assert.Contains("form-action 'self' https://login.example.com;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalLogin_LocalMode_IsNotFound()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreatePortalClient();
        var token = await PortalSession.GetAntiforgeryTokenAsync(client, "/account/login");

        var response = await client.PostAsync("/account/external-login", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
