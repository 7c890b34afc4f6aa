using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.ApiTokens;

/// <summary>An API token as lists show it: no secret, no hash.</summary>
public sealed record ApiTokenSummary(
    int Id, string Name, string Prefix, string Role, string CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt, string? RevokedBy)
{
    /// <summary>Whether the token is still accepted.</summary>
    public bool IsActive => RevokedAt is null;
}

/// <summary>A token just created: <see cref="Token"/> is the only time the secret is seen.</summary>
public sealed record CreatedApiToken(ApiTokenSummary Summary, string Token);

/// <summary>What an accepted token stands for.</summary>
public sealed record ApiTokenIdentity(int Id, string Name, string Prefix, string Role);

/// <summary>The rules a token's fields follow.</summary>
public static class ApiTokenRules
{
    /// <summary>Every token starts with this, so that secret scanners and people recognise it.</summary>
    public const string TokenPrefix = "tp_";

    /// <summary>Names are at most this long.</summary>
    public const int MaxNameLength = 80;

    /// <summary>How many characters of the token are kept in clear to recognise it.</summary>
    public const int RecognitionLength = 11;

    /// <summary>The problem title of a token request that breaks a rule.</summary>
    public const string InvalidRequest = "Invalid token request";
}

/// <summary>API tokens: create (the secret is returned once), list, revoke, and check a presented token.</summary>
public sealed partial class ApiTokenService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, ILogger<ApiTokenService> logger)
{
    /// <summary>Last use is written at most this often per token, so that a busy script does not write on every call.</summary>
    public static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    /// <summary>SHA-256 of <paramref name="token"/>, lower-case hex: what the database keeps.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Creates a token.</summary>
    /// <exception cref="PortalProblemException">Invalid, titled <see cref="ApiTokenRules.InvalidRequest"/>: the name or role breaks a rule; the message names it.</exception>
    public async Task<CreatedApiToken> CreateAsync(string name, string role, string createdBy, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > ApiTokenRules.MaxNameLength)
        {
            throw PortalProblemException.Invalid($"Name must be 1 to {ApiTokenRules.MaxNameLength} characters; got {name.Length}.", ApiTokenRules.InvalidRequest);
        }

        var canonicalRole = PortalRoles.Normalize(role)
            ?? throw PortalProblemException.Invalid($"Role must be one of {string.Join(", ", PortalRoles.All)}; got \"{role}\".", ApiTokenRules.InvalidRequest);

        // 32 random bytes (256 bits), URL-safe, so the token survives shells, headers and URLs untouched.
        var token = ApiTokenRules.TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiToken
        {
            Name = name,
            Prefix = token[..ApiTokenRules.RecognitionLength],
            Hash = Hash(token),
            Role = canonicalRole,
            CreatedBy = createdBy.Length > 64 ? createdBy[..64] : createdBy,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(ct);
        LogCreated(entity.Prefix, entity.Name, entity.Role, entity.CreatedBy);
        return new CreatedApiToken(ToSummary(entity), token);
    }

    /// <summary>Every token, newest first.</summary>
    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = await db.ApiTokens.AsNoTracking().OrderByDescending(t => t.Id).ToListAsync(ct);
        return tokens.ConvertAll(ToSummary);
    }

    /// <summary>Revokes a token; returns <see langword="false"/> when there is no such token. Revoking twice keeps the first time.</summary>
    public async Task<bool> RevokeAsync(int id, string revokedBy, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FindAsync([id], ct);
        if (token is null)
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow().UtcDateTime;
            token.RevokedBy = revokedBy.Length > 64 ? revokedBy[..64] : revokedBy;
            await db.SaveChangesAsync(ct);
            LogRevoked(token.Prefix, token.Name, token.RevokedBy);
        }

        return true;
    }

    /// <summary>The identity of a presented token, or <see langword="null"/> when it is unknown or revoked. Records the use.</summary>
    public async Task<ApiTokenIdentity?> ValidateAsync(string presented, CancellationToken ct = default)
    {
        if (!presented.StartsWith(ApiTokenRules.TokenPrefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }

        var hash = Hash(presented);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, ct);
        if (token is null || token.RevokedAt is not null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (token.LastUsedAt is not { } last || now - last >= LastUseResolution)
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return new ApiTokenIdentity(token.Id, token.Name, token.Prefix, token.Role);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiTokenSummary ToSummary(ApiToken t) =>
        new(t.Id, t.Name, t.Prefix, t.Role, t.CreatedBy, t.CreatedAt, t.LastUsedAt, t.RevokedAt, t.RevokedBy);

    [LoggerMessage(LogLevel.Information, "API token {Prefix} ({Name}, {Role}) created by {CreatedBy}")]
    private partial void LogCreated(string prefix, string name, string role, string createdBy);

    [LoggerMessage(LogLevel.Information, "API token {Prefix} ({Name}) revoked by {RevokedBy}")]
    private partial void LogRevoked(string prefix, string name, string? revokedBy);
}
