using Microsoft.Extensions.Caching.Memory;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;

namespace TelemetryPortal.Web.Features.Accounts;

/// <summary>A local account as the UI shows it (no secrets).</summary>
public sealed record AccountSummary(int Id, string UserName, string DisplayName, string Role, DateTime CreatedAt, DateTime? LastSignInAt, DateTime? LockedUntil, DateTime? DisabledAt);

/// <summary>The outcome of a password check.</summary>
public enum SignInStatus
{
    Succeeded,
    InvalidCredentials,
    LockedOut,

    /// <summary>The password was right, but an admin has disabled the account.</summary>
    Disabled,
}

/// <summary>The outcome of a password check, with the account and its security stamp when it succeeded.</summary>
public sealed record SignInAttempt(SignInStatus Status, AccountSummary? Account = null, DateTime? LockedUntil = null, string? SecurityStamp = null);

/// <summary>Local accounts: password checks with lockout, creation, password resets, disabling, session checks, preferences.</summary>
public sealed partial class AccountService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IPasswordHasher<UserAccount> hasher,
    IOptions<PortalOptions> options,
    TimeProvider time,
    IMemoryCache cache,
    ILogger<AccountService> logger)
{
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    // Hashing a throwaway password for unknown users keeps the answer time the same as for real ones.
    private static readonly UserAccount Nobody = new() { UserName = "", DisplayName = "", Role = "", PasswordHash = "" };
    private readonly Lazy<string> _nobodyHash = new(() => hasher.HashPassword(Nobody, GeneratePassword()));

    // Every request of a signed-in user checks the session (static files and the circuit's connection
    // too), so each account's current stamp is kept in the shared cache for a while rather than read each
    // time. Changes made through this service evict it at once; another instance's are seen within the TTL.
    // The lock orders a read's caching after any change that began before it finished.
    private static readonly TimeSpan s_sessionCacheTtl = TimeSpan.FromSeconds(30);
    private readonly Lock _sessionsLock = new();
    private long _stampChanges;

    /// <summary>A random password of 20 characters from an alphabet without look-alikes.</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString(PasswordAlphabet, 20);

    /// <summary>
    /// Checks a password. Repeated failures lock the account for <see cref="PortalOptions.LockoutDuration"/>;
    /// a locked account is refused even with the right password. A wrong password gets the same answer whether
    /// the account exists, is locked or not: only a caller who knows the password learns that it is locked or disabled.
    /// </summary>
    public async Task<SignInAttempt> CheckPasswordAsync(string userName, string password, CancellationToken ct = default)
    {
        var normalized = NormalizeUserName(userName);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == normalized, ct);
        if (user is null)
        {
            hasher.VerifyHashedPassword(Nobody, _nobodyHash.Value, password);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (user.LockedUntil is { } until && until > now)
        {
            return verdict == PasswordVerificationResult.Failed
                ? new SignInAttempt(SignInStatus.InvalidCredentials)
                : new SignInAttempt(SignInStatus.LockedOut, LockedUntil: until);
        }

        if (verdict == PasswordVerificationResult.Failed)
        {
            var settings = options.Value;
            user.FailedSignIns++;
            if (user.FailedSignIns >= settings.MaxFailedSignIns)
            {
                user.FailedSignIns = 0;
                user.LockedUntil = now + settings.LockoutDuration;
                LogLockedOut(user.UserName, user.LockedUntil.Value);
            }

            await db.SaveChangesAsync(ct);
            return new SignInAttempt(SignInStatus.InvalidCredentials);
        }

        // Only a caller who knows the password learns that the account is disabled.
        if (user.DisabledAt is not null)
        {
            return new SignInAttempt(SignInStatus.Disabled);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(ct);
        return new SignInAttempt(SignInStatus.Succeeded, ToSummary(user), SecurityStamp: user.SecurityStamp);
    }

    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        return users.ConvertAll(ToSummary);
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AnyAsync(ct);
    }

    /// <summary>Creates an account.</summary>
    /// <exception cref="PortalProblemException">Invalid: a field breaks a rule (the message names it). Conflict: the name is taken.</exception>
    public async Task<AccountSummary> CreateAsync(string userName, string displayName, string role, string password, CancellationToken ct = default)
    {
        var normalized = NormalizeUserName(userName);
        if (!UserNamePattern().IsMatch(normalized))
        {
            throw PortalProblemException.Invalid("User name must be 3 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        displayName = displayName.Trim();
        if (displayName.Length is 0 or > 128)
        {
            throw PortalProblemException.Invalid("Display name must be 1 to 128 characters.");
        }

        var canonicalRole = PortalRoles.Normalize(role)
            ?? throw PortalProblemException.Invalid($"Role must be one of {string.Join(", ", PortalRoles.All)}; got \"{role}\".");
        ValidatePassword(password);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(u => u.UserName == normalized, ct))
        {
            throw UserNameTaken(normalized);
        }

        var user = new UserAccount
        {
            UserName = normalized,
            DisplayName = displayName,
            Role = canonicalRole,
            PasswordHash = "",
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request created the same name between the check and the insert.
            throw UserNameTaken(normalized);
        }

        LogCreated(user.UserName, user.Role);
        return ToSummary(user);
    }

    /// <summary>Sets a new password, lifts any lockout, and ends the account's sessions everywhere.</summary>
    /// <exception cref="PortalProblemException">Invalid: the password is too short. NotFound: there is no such account.</exception>
    public async Task ResetPasswordAsync(int userId, string newPassword, CancellationToken ct = default)
    {
        ValidatePassword(newPassword);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw NoAccount(userId);
        user.PasswordHash = hasher.HashPassword(user, newPassword);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.SecurityStamp = UserAccount.NewSecurityStamp();
        await db.SaveChangesAsync(ct);
        ForgetSession(user.Id);
        LogPasswordReset(user.UserName);
    }

    /// <summary>
    /// Disables an account (it cannot sign in, and its sessions end) or enables it again. An admin cannot
    /// disable their own account, so the portal always keeps someone who can enable the others.
    /// </summary>
    /// <exception cref="PortalProblemException">NotFound: the account does not exist. Forbidden: it is the acting admin's own.</exception>
    public async Task<AccountSummary> SetDisabledAsync(int userId, bool disabled, int? actingUserId, CancellationToken ct = default)
    {
        if (disabled && userId == actingUserId)
        {
            throw PortalProblemException.Forbidden("You cannot disable your own account.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.FindAsync([userId], ct) ?? throw NoAccount(userId);
        if (disabled == (user.DisabledAt is not null))
        {
            return ToSummary(user);
        }

        user.DisabledAt = disabled ? time.GetUtcNow().UtcDateTime : null;
        user.SecurityStamp = UserAccount.NewSecurityStamp();
        await db.SaveChangesAsync(ct);
        ForgetSession(user.Id);
        LogDisabled(user.UserName, disabled);
        return ToSummary(user);
    }

    /// <summary>
    /// Whether a local account's session may go on: the account exists, is enabled, and still has the
    /// security stamp the session began with.
    /// </summary>
    public async Task<bool> IsSessionValidAsync(int userId, string? securityStamp, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(securityStamp))
        {
            return false;
        }

        if (cache.TryGetValue(SessionKey(userId), out SessionStamp? cached))
        {
            return cached!.Stamp == securityStamp;
        }

        long changesBefore;
        lock (_sessionsLock)
        {
            changesBefore = _stampChanges;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // No stamp for an account that is gone or disabled: no session of it is valid.
        var current = await db.Users.Where(u => u.Id == userId && u.DisabledAt == null).Select(u => u.SecurityStamp).SingleOrDefaultAsync(ct);
        lock (_sessionsLock)
        {
            // A stamp read while a change was being made may be the old one: use it once, do not keep it.
            if (_stampChanges == changesBefore)
            {
                cache.Set(SessionKey(userId), new SessionStamp(current), new MemoryCacheEntryOptions
                {
                    AbsoluteExpirationRelativeToNow = s_sessionCacheTtl,
                    Size = 64 + (current?.Length ?? 0) * sizeof(char),
                });
            }
        }

        return current == securityStamp;
    }

    private void ForgetSession(int userId)
    {
        lock (_sessionsLock)
        {
            _stampChanges++;
            cache.Remove(SessionKey(userId));
        }
    }

    private static (string, int) SessionKey(int userId) => ("session-stamp", userId);

    public async Task<bool> GetPrefersDarkModeAsync(int userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).SingleOrDefaultAsync(ct);
    }

    public async Task SetPrefersDarkModeAsync(int userId, bool dark, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, dark), ct);
    }

    internal static string NormalizeUserName(string userName) => userName.Trim().ToLowerInvariant();

    private static void ValidatePassword(string password)
    {
        if (password.Length < PortalOptionsValidator.MinPasswordLength)
        {
            throw PortalProblemException.Invalid($"Password must be at least {PortalOptionsValidator.MinPasswordLength} characters long.");
        }
    }

    private static PortalProblemException UserNameTaken(string userName) =>
        PortalProblemException.Conflict("User name taken", $"The user name \"{userName}\" is already taken.");

    private static PortalProblemException NoAccount(int userId) => PortalProblemException.NotFound($"There is no account with id {userId}.");

    private static AccountSummary ToSummary(UserAccount u) =>
        new(u.Id, u.UserName, u.DisplayName, u.Role, u.CreatedAt, u.LastSignInAt, u.LockedUntil, u.DisabledAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$")]
    private static partial Regex UserNamePattern();

    [LoggerMessage(LogLevel.Warning, "Account {UserName} locked until {LockedUntil:u} after repeated failed sign-ins")]
    private partial void LogLockedOut(string userName, DateTime lockedUntil);

    [LoggerMessage(LogLevel.Information, "Account {UserName} created with role {Role}")]
    private partial void LogCreated(string userName, string role);

    [LoggerMessage(LogLevel.Information, "Password of account {UserName} reset; its sessions end")]
    private partial void LogPasswordReset(string userName);

    [LoggerMessage(LogLevel.Information, "Account {UserName} disabled: {Disabled}")]
    private partial void LogDisabled(string userName, bool disabled);
}

/// <summary>An account's current security stamp as cached; <see langword="null"/> when it is gone or disabled.</summary>
internal sealed record SessionStamp(string? Stamp);
