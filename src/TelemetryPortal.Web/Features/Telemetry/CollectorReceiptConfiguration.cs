using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Telemetry;

internal sealed class CollectorReceiptConfiguration : IEntityTypeConfiguration<CollectorReceipt>
{
    public void Configure(EntityTypeBuilder<CollectorReceipt> builder)
    {
        builder.ToTable("collector_receipts");
        builder.Property(r => r.Kind).HasMaxLength(16);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(128);
        builder.Property(r => r.CoderVersion).HasMaxLength(64);
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.HasIndex(r => r.IdempotencyKey).IsUnique();
        builder.HasIndex(r => r.ReceivedAt);
    }
}
