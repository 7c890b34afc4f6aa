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
/// lists them, applies every <c>IEntityTypeConfiguration</c> of the assembly, and stores times as UTC.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are stored as UTC; SQLite keeps no kind, so say it again on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
