using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.ApiTokens;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Data;

/// <summary>
/// The portal's database. Each feature keeps its entities and their configuration in its own folder; this context only
/// lists them, applies every <c>IEntityTypeConfiguration</c> of the assembly, and stores times as UTC. One model for
/// every provider: <see cref="SqlitePortalDbContext"/> and <see cref="PostgresPortalDbContext"/> only keep each
/// provider's migrations apart (EF Core's "one context type per provider").
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<DeploymentRecord> Deployment => Set<DeploymentRecord>();

    public DbSet<TelemetryPayload> Payloads => Set<TelemetryPayload>();

    public DbSet<PayloadContent> PayloadContents => Set<PayloadContent>();

    public DbSet<PayloadBlock> PayloadBlocks => Set<PayloadBlock>();

    public DbSet<CollectorReceipt> CollectorReceipts => Set<CollectorReceipt>();

    public DbSet<IngestedPayload> IngestedPayloads => Set<IngestedPayload>();

    public DbSet<LicenseRequest> LicenseRequests => Set<LicenseRequest>();

    public DbSet<AppliedLicense> AppliedLicenses => Set<AppliedLicense>();

    public DbSet<ConsentEntry> ConsentLedger => Set<ConsentEntry>();

    public DbSet<ConsentPolicyText> ConsentPolicies => Set<ConsentPolicyText>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<UnclassifiedField> UnclassifiedFields => Set<UnclassifiedField>();

    /// <summary>Scheduled jobs that run once per interval across every instance (<see cref="ScheduledJobs"/>).</summary>
    public DbSet<ScheduledJob> ScheduledJobs => Set<ScheduledJob>();

    /// <summary>The portal's own keys (the consent receipt key), shared by every instance.</summary>
    public DbSet<PortalKey> PortalKeys => Set<PortalKey>();

    /// <summary>ASP.NET Core data protection keys (sign-in cookies, antiforgery), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Which provider this context runs on.</summary>
    public DatabaseProvider Provider => Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are stored as UTC; SQLite keeps no kind, so say it again on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>The portal's database on SQLite; its migrations are in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

/// <summary>The portal's database on PostgreSQL; its migrations are in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);
