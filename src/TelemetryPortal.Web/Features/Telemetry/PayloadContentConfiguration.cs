using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Telemetry;

internal sealed class PayloadContentConfiguration : IEntityTypeConfiguration<PayloadContent>
{
    public void Configure(EntityTypeBuilder<PayloadContent> builder)
    {
        builder.ToTable("payload_contents");
        builder.HasKey(c => c.Sha256);
        builder.Property(c => c.Sha256).HasMaxLength(64);
        builder.Property(c => c.Encoding).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.BaseSha256).HasMaxLength(64);
        // A keyframe cannot go while a delta needs it; the pruner removes deltas first.
        builder.HasOne<PayloadContent>().WithMany().HasForeignKey(c => c.BaseSha256).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Blob).HasMaxLength(32);
        builder.HasIndex(c => c.Blob);
    }
}

internal sealed class PayloadBlockConfiguration : IEntityTypeConfiguration<PayloadBlock>
{
    public void Configure(EntityTypeBuilder<PayloadBlock> builder)
    {
        builder.ToTable("payload_blocks");
        builder.HasKey(b => new { b.Blob, b.Seq });
        builder.Property(b => b.Blob).HasMaxLength(32);
    }
}
