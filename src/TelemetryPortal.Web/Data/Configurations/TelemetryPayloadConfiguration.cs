using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Data.Configurations;

internal sealed class TelemetryPayloadConfiguration : IEntityTypeConfiguration<TelemetryPayload>
{
    public void Configure(EntityTypeBuilder<TelemetryPayload> builder)
    {
        builder.ToTable("payloads");
        builder.Property(p => p.Kind).HasMaxLength(16);
        builder.Property(p => p.Source).HasMaxLength(16);
        builder.Property(p => p.Endpoint).HasMaxLength(2048);
        builder.Property(p => p.CoderVersion).HasMaxLength(64);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Sha256).HasMaxLength(64);
        builder.Property(p => p.LastError).HasMaxLength(1024);
        builder.HasIndex(p => p.IdempotencyKey).IsUnique();
        builder.HasIndex(p => p.CapturedAt);
        builder.HasIndex(p => new { p.Status, p.NextAttemptAt });
        builder.HasIndex(p => p.Sha256);
    }
}
