using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Telemetry;

internal sealed class UnclassifiedFieldConfiguration : IEntityTypeConfiguration<UnclassifiedField>
{
    public void Configure(EntityTypeBuilder<UnclassifiedField> builder)
    {
        builder.ToTable("unclassified_fields");
        builder.HasKey(f => f.Path);
        builder.Property(f => f.Path).HasMaxLength(UnclassifiedFields.MaxPathLength);
        builder.Property(f => f.Kind).HasMaxLength(16);
        builder.Property(f => f.JsonType).HasMaxLength(16);
        builder.Property(f => f.CoderVersion).HasMaxLength(64);
    }
}
