using System.Security.Claims;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Extensions;

namespace TelemetryPortal.Web.Tests.Authentication;

public sealed class AuthenticationOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_SucceedInLocalMode()
    {
        var result = new PortalAuthenticationOptionsValidator().Validate(null, new PortalAuthenticationOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("https://login.example.com/realms/acme")]
    [InlineData("http://127.0.0.1:5123")]
    [InlineData("http://localhost:5123/")]
    public void Validate_GoodOidc_Succeeds(string authority)
    {
        var result = new PortalAuthenticationOptionsValidator().Validate(null, Oidc(o => o.Authority = authority));

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
    }

    [Theory]
    [InlineData(null, "Authentication:Oidc:Authority is required")]
    [InlineData("", "Authentication:Oidc:Authority is required")]
    [InlineData("login.example.com", "Authentication:Oidc:Authority \"login.example.com\" is not an absolute http(s) URL")]
    [InlineData("ftp://login.example.com", "Authentication:Oidc:Authority \"ftp://login.example.com\" is not an absolute http(s) URL")]
    [InlineData("http://login.example.com", "Authentication:Oidc:Authority \"http://login.example.com\" must use https")]
    public void Validate_BadAuthority_FailsNamingIt(string? authority, string expected)
    {
        var result = new PortalAuthenticationOptionsValidator().Validate(null, Oidc(o => o.Authority = authority));

        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownRoleInMap_FailsNamingTheKeyAndTheRoles()
    {
        var result = new PortalAuthenticationOptionsValidator().Validate(null, Oidc(o => o.RoleMap["portal-admins"] = "Superuser"));

        Assert.Equal(
            "Authentication:Oidc:RoleMap:portal-admins maps to \"Superuser\", which is not a role; use Admin, Support, Customer.",
            Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("ClientId", "Authentication:Oidc:ClientId is required")]
    [InlineData("Scopes", "Authentication:Oidc:Scopes must include openid")]
    [InlineData("RoleClaim", "Authentication:Oidc:RoleClaim must name the claim")]
    [InlineData("RoleMap", "Authentication:Oidc:RoleMap must map at least one claim value")]
    public void Validate_MissingOidcSetting_FailsNamingIt(string setting, string expected)
    {
        var options = Oidc(o =>
        {
            switch (setting)
            {
                case "ClientId": o.ClientId = " "; break;
                case "Scopes": o.Scopes = "profile email"; break;
                case "RoleClaim": o.RoleClaim = ""; break;
                case "RoleMap": o.RoleMap.Clear(); break;
            }
        });

        var result = new PortalAuthenticationOptionsValidator().Validate(null, options);

        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ldap", 10, "Authentication:Mode must be Local or Oidc; got \"Ldap\".")]
    [InlineData("Local", 0, "Authentication:SignInAttemptsPerMinute must be between 1 and 100000; got 0.")]
    public void Validate_BadGeneralSetting_FailsNamingIt(string mode, int attempts, string expected)
    {
        var result = new PortalAuthenticationOptionsValidator().Validate(null, new PortalAuthenticationOptions { Mode = mode, SignInAttemptsPerMinute = attempts });

        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_LocalMode_IgnoresAnIncompleteOidcSection()
    {
        var options = new PortalAuthenticationOptions { Mode = "local", Oidc = new OidcProviderOptions { Authority = "not a url" } };

        Assert.True(new PortalAuthenticationOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void OidcPrincipal_MappedGroups_BecomePortalRolesAndNoNumericUserId()
    {
        var oidc = Oidc(o => o.RoleClaim = "groups").Oidc;
        var external = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim("sub", "42"), new Claim("name", "Ada Admin"), new Claim("preferred_username", "ada"),
            new Claim("groups", "PORTAL-ADMINS"), new Claim("groups", "everyone"), new Claim("groups", "support-team"),
        ], "oidc"));

        var principal = OidcPrincipal.Create(external, oidc);

        Assert.Equal("ada", principal.Identity!.Name);
        Assert.Equal("Ada Admin", principal.GetDisplayName());
        Assert.Equal(PortalRoles.Admin, principal.GetPortalRole());
        Assert.True(principal.IsInRole(PortalRoles.Support));
        Assert.False(principal.IsInRole(PortalRoles.Customer));
        Assert.Null(principal.GetUserId());
    }

    [Fact]
    public void OidcPrincipal_NoMappedValue_HasNoRole()
    {
        var oidc = Oidc(_ => { }).Oidc;
        var external = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "7"), new Claim("roles", "guests")], "oidc"));

        var principal = OidcPrincipal.Create(external, oidc);

        Assert.True(principal.Identity!.IsAuthenticated);
        Assert.Null(principal.GetPortalRole());
        Assert.False(Audience.AnyRole.Admits(principal));
        Assert.True(Audience.SignedIn.Admits(principal));
    }

    private static PortalAuthenticationOptions Oidc(Action<OidcProviderOptions> change)
    {
        var options = new PortalAuthenticationOptions
        {
            Mode = "Oidc",
            Oidc = new OidcProviderOptions
            {
                Authority = "https://login.example.com",
                ClientId = "telemetry-portal",
                ClientSecret = "secret",
                RoleMap = new Dictionary<string, string>
                {
                    ["portal-admins"] = "Admin",
                    ["support-team"] = "support",
                    ["customers"] = "Customer",
                },
            },
        };
        change(options.Oidc);
        return options;
    }
}
