namespace TelemetryPortal.Web.Features.ApiTokens;

/// <summary>
/// A bearer token for the JSON API. Only the SHA-256 of the token is kept; the token itself is shown once,
/// when it is created.
/// </summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    /// <summary>What the admin called it (e.g. "nightly export").</summary>
    public required string Name { get; set; }

    /// <summary>The token's first characters (<c>tp_AbCd1234</c>), to recognise it in lists and logs.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole token, lower-case hex.</summary>
    public required string Hash { get; set; }

    /// <summary>The token's scope: one of <see cref="Authentication.PortalRoles"/>.</summary>
    public required string Role { get; set; }

    /// <summary>Who created it: a user name, or <c>command line</c>.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC; recorded at most once a minute.</summary>
    public DateTime? LastUsedAt { get; set; }

    /// <summary>UTC; a revoked token is refused.</summary>
    public DateTime? RevokedAt { get; set; }

    /// <summary>Who revoked it.</summary>
    public string? RevokedBy { get; set; }
}
