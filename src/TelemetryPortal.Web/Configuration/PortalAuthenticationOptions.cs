using System.Net;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;

namespace TelemetryPortal.Web.Configuration;

/// <summary>The <c>Authentication</c> settings section: how people sign in.</summary>
public sealed class PortalAuthenticationOptions
{
    public const string SectionName = "Authentication";

    /// <summary>Local accounts with passwords kept by the portal.</summary>
    public const string LocalMode = "Local";

    /// <summary>An OpenID Connect provider (Entra ID, Keycloak, Okta, ...) signs people in.</summary>
    public const string OidcMode = "Oidc";

    /// <summary><c>Local</c> or <c>Oidc</c>. Defaults to <c>Local</c>.</summary>
    public string Mode { get; set; } = LocalMode;

    /// <summary>Sign-in attempts (form posts) one client address may make per minute. Defaults to 10.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>The provider, used when <see cref="Mode"/> is <c>Oidc</c>.</summary>
    public OidcProviderOptions Oidc { get; set; } = new();

    /// <summary>Whether <see cref="Mode"/> chooses OpenID Connect.</summary>
    public bool IsOidc => string.Equals(Mode, OidcMode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The <c>Authentication:Oidc</c> settings section.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer's base URL, e.g. <c>https://login.example.com/realms/acme</c>. Required in OIDC mode; https unless loopback.</summary>
    public string? Authority { get; set; }

    /// <summary>The client id registered at the provider. Required in OIDC mode.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (sent in the token request body). Defaults to none: a public client with PKCE.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes to request. Defaults to <c>openid profile email</c>; must include <c>openid</c>.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>The claim that carries the user's roles or groups, e.g. <c>roles</c> or <c>groups</c>. Defaults to <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Claim value to portal role, e.g. <c>Authentication:Oidc:RoleMap:portal-admins=Admin</c>. Values not in the
    /// map give no role; a user without a mapped role sees only the "no access" page. Required in OIDC mode.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>The provider's name on the sign-in button ("Sign in with ..."). Defaults to <c>your organisation's account</c>.</summary>
    public string DisplayName { get; set; } = "your organisation's account";

    /// <summary>The scopes as a list.</summary>
    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The authority as a URI, or <see langword="null"/> when it is not an absolute http(s) URL.</summary>
    public Uri? AuthorityUri =>
        Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;

    /// <summary>Plain http is accepted only on loopback (a provider on the same machine, as in tests).</summary>
    public bool IsLoopbackAuthority => AuthorityUri is { } uri && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>The portal roles <paramref name="claimValues"/> map to, in <see cref="PortalRoles.All"/> order.</summary>
    public IReadOnlyList<string> MapRoles(IEnumerable<string> claimValues)
    {
        var map = new Dictionary<string, string>(RoleMap, StringComparer.OrdinalIgnoreCase);
        var mapped = claimValues
            .Select(v => map.TryGetValue(v, out var role) ? PortalRoles.Normalize(role) : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return [.. PortalRoles.All.Where(mapped.Contains)];
    }
}

/// <summary>Rules for <see cref="PortalAuthenticationOptions"/>; every failure names its setting.</summary>
public sealed class PortalAuthenticationOptionsValidator : IValidateOptions<PortalAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (!string.Equals(options.Mode, PortalAuthenticationOptions.LocalMode, StringComparison.OrdinalIgnoreCase) && !options.IsOidc)
        {
            failures.Add($"Authentication:Mode must be Local or Oidc; got \"{options.Mode}\".");
        }

        if (options.SignInAttemptsPerMinute is < 1 or > 100_000)
        {
            failures.Add($"Authentication:SignInAttemptsPerMinute must be between 1 and 100000; got {options.SignInAttemptsPerMinute}.");
        }

        if (options.IsOidc)
        {
            ValidateOidc(options.Oidc, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateOidc(OidcProviderOptions oidc, List<string> failures)
    {
        const string Section = "Authentication:Oidc";
        if (string.IsNullOrWhiteSpace(oidc.Authority))
        {
            failures.Add($"{Section}:Authority is required when Authentication:Mode is Oidc (the provider's issuer URL).");
        }
        else if (oidc.AuthorityUri is not { } authority)
        {
            failures.Add($"{Section}:Authority \"{oidc.Authority}\" is not an absolute http(s) URL.");
        }
        else if (authority.Scheme != Uri.UriSchemeHttps && !oidc.IsLoopbackAuthority)
        {
            failures.Add($"{Section}:Authority \"{oidc.Authority}\" must use https (plain http is allowed only on loopback).");
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            failures.Add($"{Section}:ClientId is required when Authentication:Mode is Oidc.");
        }

        if (!oidc.ScopeList.Contains("openid", StringComparer.Ordinal))
        {
            failures.Add($"{Section}:Scopes must include openid; got \"{oidc.Scopes}\".");
        }

        if (string.IsNullOrWhiteSpace(oidc.RoleClaim))
        {
            failures.Add($"{Section}:RoleClaim must name the claim with the user's roles or groups (e.g. roles or groups).");
        }

        if (oidc.RoleMap.Count == 0)
        {
            failures.Add($"{Section}:RoleMap must map at least one claim value to a role, e.g. {Section}:RoleMap:portal-admins=Admin.");
        }

        foreach (var (claimValue, role) in oidc.RoleMap)
        {
            if (PortalRoles.Normalize(role) is null)
            {
                failures.Add($"{Section}:RoleMap:{claimValue} maps to \"{role}\", which is not a role; use {string.Join(", ", PortalRoles.All)}.");
            }
        }

        if (string.IsNullOrWhiteSpace(oidc.DisplayName))
        {
            failures.Add($"{Section}:DisplayName must not be empty.");
        }
    }
}
