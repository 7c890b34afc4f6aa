using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Telemetry;

internal sealed class DeploymentRecordConfiguration : IEntityTypeConfiguration<DeploymentRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentRecord> builder)
    {
        builder.ToTable("deployment", t => t.HasCheckConstraint("ck_deployment_singleton", "\"Id\" = 1"));
        builder.Property(d => d.Id).ValueGeneratedNever();
    }
}
