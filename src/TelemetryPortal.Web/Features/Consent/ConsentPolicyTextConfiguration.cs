using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Consent;

internal sealed class ConsentPolicyTextConfiguration : IEntityTypeConfiguration<ConsentPolicyText>
{
    public void Configure(EntityTypeBuilder<ConsentPolicyText> builder)
    {
        builder.ToTable(ConsentLedgerSql.PolicyTable);
        builder.HasKey(p => p.Version);
        builder.Property(p => p.Version).HasMaxLength(64);
    }
}
