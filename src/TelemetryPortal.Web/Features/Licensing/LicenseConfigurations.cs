using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Licensing;

internal sealed class LicenseRequestConfiguration : IEntityTypeConfiguration<LicenseRequest>
{
    /// <summary>The longest "requested by" name kept (a contact's name with where the request came from).</summary>
    public const int RequestedByNameLength = 256;

    public void Configure(EntityTypeBuilder<LicenseRequest> builder)
    {
        builder.ToTable("license_requests");
        builder.Property(r => r.Organisation).HasMaxLength(200);
        builder.Property(r => r.ContactName).HasMaxLength(200);
        builder.Property(r => r.ContactEmail).HasMaxLength(320);
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RequestedBy).HasMaxLength(128);
        builder.Property(r => r.RequestedByName).HasMaxLength(RequestedByNameLength);
        builder.Property(r => r.ReviewedBy).HasMaxLength(256);
        builder.Property(r => r.DenialReason).HasMaxLength(2000);
        builder.HasIndex(r => new { r.Status, r.RequestedAt });
        builder.HasIndex(r => r.RequestedBy);
        builder.Property(r => r.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.SecretHash).HasMaxLength(64);
        builder.Property(r => r.SourceAddress).HasMaxLength(64);
        builder.HasIndex(r => r.DeskId).IsUnique();
        builder.Property(r => r.DeskUrl).HasMaxLength(2000);
        builder.Property(r => r.DeskBody).HasMaxLength(16384);
        builder.Property(r => r.DeskSecret).HasMaxLength(128);
        builder.Property(r => r.Delivery).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.DeliveryError).HasMaxLength(2000);
        builder.HasIndex(r => new { r.Delivery, r.NextDeliveryAt });
    }
}

internal sealed class AppliedLicenseConfiguration : IEntityTypeConfiguration<AppliedLicense>
{
    public void Configure(EntityTypeBuilder<AppliedLicense> builder)
    {
        builder.ToTable("applied_licenses");
        builder.Property(l => l.Organisation).HasMaxLength(200);
        builder.Property(l => l.KeyId).HasMaxLength(128);
        builder.Property(l => l.AppliedBy).HasMaxLength(256);
        builder.Property(l => l.RevokedBy).HasMaxLength(256);
        builder.Property(l => l.RevocationReason).HasMaxLength(1000);
        builder.HasIndex(l => l.AppliedAt);
    }
}
