using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Telemetry;

internal sealed class IngestedPayloadConfiguration : IEntityTypeConfiguration<IngestedPayload>
{
    public void Configure(EntityTypeBuilder<IngestedPayload> builder)
    {
        builder.ToTable("ingested_payloads");
        builder.HasKey(i => i.Kind);
        builder.Property(i => i.Kind).HasMaxLength(16);
        builder.Property(i => i.Sha256).HasMaxLength(64);
        builder.Property(i => i.CoderVersion).HasMaxLength(64);
    }
}
