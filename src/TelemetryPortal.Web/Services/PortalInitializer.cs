using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Configuration;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Services;

/// <summary>
/// Runs once before the portal serves anything: applies migrations, recreates the consent ledger's
/// append-only triggers if they were dropped or altered, creates the deployment id and, on first start,
/// the <c>admin</c> account.
/// </summary>
public sealed partial class PortalInitializer(
    IDbContextFactory<PortalDbContext> dbFactory,
    DeploymentService deployment,
    AccountService accounts,
    LicenseKeyring licenseKeys,
    ConsentLedgerService ledger,
    IServiceProvider services,
    IOptions<PortalOptions> options,
    ILogger<PortalInitializer> logger)
{
    public const string AdminUserName = "admin";
    public const string InitialPasswordFileName = "initial-admin-password";

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        // Instances starting together on one PostgreSQL database take turns: the first does what a first start does
        // (the admin account, the keys), the others find it done. Without this both created "admin" and one failed.
        await using var turn = await dbFactory.CreateDbContextAsync(ct);
        if (turn.Provider != DatabaseProvider.Postgres)
        {
            await InitializeInTurnAsync(ct);
            return;
        }

        // The lock is the database's, so the database must exist first (its creation copes with a race of its own).
        await PostgresDatabase.EnsureExistsAsync(turn.Database.GetConnectionString()!, logger, ct);
        await turn.Database.OpenConnectionAsync(ct);
        await turn.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({PostgresLocks.Startup})", ct);
        try
        {
            await InitializeInTurnAsync(ct);
        }
        finally
        {
            await turn.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PostgresLocks.Startup})", CancellationToken.None);
        }
    }

    private async Task InitializeInTurnAsync(CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Each provider's own migrations.
            await db.Database.MigrateAsync(ct);
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                // Readers never wait for the writer (the sender writes while pages read).
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }

        await ImportKeyFilesAsync(ct);
        // The data protection key is created now, in turn, rather than at the first sign-in: instances starting together
        // would otherwise each create one at their first request, and one instance's cookies would be unreadable to the
        // others until their key rings were next refreshed.
        // (Tools built without the web host's services, such as the benchmarks, have no data protection.)
        if (services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>() is { } dataProtection)
        {
            _ = Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(
                dataProtection.CreateProtector("TelemetryPortal.Startup"), "key ring ready");
        }

        // Before anything else writes: someone with the database file may have dropped them while the portal was down.
        await ledger.RestoreAppendOnlyProtectionAsync(ct);

        var deploymentId = await deployment.EnsureCreatedAsync(ct);
        LogDeployment(deploymentId);
        await licenseKeys.LoadAsync(deploymentId, ct);
        await EnsureAdminAsync(ct);
    }

    /// <summary>
    /// Data protection keys were kept in <c>keys/</c> in the data directory before they moved to the database: taken in
    /// once, so that sessions signed in before the upgrade stay signed in.
    /// </summary>
    private async Task ImportKeyFilesAsync(CancellationToken ct)
    {
        var folder = new DirectoryInfo(Path.Combine(options.Value.DataDirectoryFullPath, "keys"));
        if (!folder.Exists)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.DataProtectionKeys.AnyAsync(ct))
        {
            return;
        }

        var imported = 0;
        foreach (var file in folder.EnumerateFiles("*.xml"))
        {
            try
            {
                var element = System.Xml.Linq.XElement.Load(file.FullName);
                db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey
                {
                    FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                    Xml = element.ToString(System.Xml.Linq.SaveOptions.DisableFormatting),
                });
                imported++;
            }
            catch (System.Xml.XmlException ex)
            {
                LogKeyFileSkipped(file.FullName, ex.Message);
            }
        }

        await db.SaveChangesAsync(ct);
        if (imported > 0)
        {
            LogKeysImported(imported, folder.FullName);
        }
    }

    private async Task EnsureAdminAsync(CancellationToken ct)
    {
        if (await accounts.AnyAsync(ct))
        {
            return;
        }

        var configured = options.Value.AdminPassword;
        var password = configured ?? AccountService.GeneratePassword();
        await accounts.CreateAsync(AdminUserName, "Administrator", PortalRoles.Admin, password, ct);
        if (configured is not null)
        {
            LogAdminFromSettings();
            return;
        }

        var path = Path.Combine(options.Value.DataDirectoryFullPath, InitialPasswordFileName);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), fileOptions))
        {
            await writer.WriteLineAsync(password.AsMemory(), ct);
        }

        if (!OperatingSystem.IsWindows())
        {
            // The create mode applies only to a new file; an old one keeps its mode otherwise.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Printed to the console once, on purpose outside the logs, which may be shipped elsewhere.
        Console.Out.WriteLine();
        Console.Out.WriteLine("  First start: an 'admin' account was created.");
        Console.Out.WriteLine($"  Password: {password}");
        Console.Out.WriteLine($"  (also written to {path}, readable only by you)");
        Console.Out.WriteLine();
        LogAdminCreated(path);
    }

    [LoggerMessage(LogLevel.Information, "Took {Count} data protection keys from {Folder} into the database; the folder is no longer read")]
    private partial void LogKeysImported(int count, string folder);

    [LoggerMessage(LogLevel.Warning, "Skipped the data protection key file {Path}: {Message}")]
    private partial void LogKeyFileSkipped(string path, string message);

    [LoggerMessage(LogLevel.Information, "Deployment id {DeploymentId}")]
    private partial void LogDeployment(Guid deploymentId);

    [LoggerMessage(LogLevel.Information, "Created the admin account with the password from Portal:AdminPassword")]
    private partial void LogAdminFromSettings();

    [LoggerMessage(LogLevel.Warning, "Created the admin account; its password was printed once and written to {Path}")]
    private partial void LogAdminCreated(string path);
}
