using System.Security.Claims;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Extensions;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Tests.Features.Consent;

/// <summary>Who did something, as the ledger and license requests record it: a provider's user is its issuer and subject.</summary>
public class ActorIdentityTests
{
    private static ClaimsPrincipal ProviderUser(string issuer, string subject, string name) =>
        new(new ClaimsIdentity(
        [
            new Claim("sub", subject, ClaimValueTypes.String, issuer),
            new Claim("preferred_username", name, ClaimValueTypes.String, issuer),
            new Claim("email", $"{name}@example.com", ClaimValueTypes.String, issuer),
            new Claim("roles", "customer", ClaimValueTypes.String, issuer),
        ], "oidc"));

    private static readonly OidcProviderOptions s_oidc = new() { Authority = "https://login.example.com", RoleMap = { ["customer"] = "Customer" } };

    [Fact]
    public void ProviderUsers_WithTheSameNameAndEmail_AreDifferentActors()
    {
        var first = ConsentActor.From(OidcPrincipal.Create(ProviderUser("https://login.example.com", "111", "alex"), s_oidc));
        var second = ConsentActor.From(OidcPrincipal.Create(ProviderUser("https://login.example.com", "222", "alex"), s_oidc));
        var otherIssuer = ConsentActor.From(OidcPrincipal.Create(ProviderUser("https://other.example.org", "111", "alex"), s_oidc));

        Assert.Equal(first.Name, second.Name);
        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Id, otherIssuer.Id);
        Assert.Equal("oidc:https://login.example.com#111", first.Id);
    }
}
