using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Features.Consent;

internal sealed class ConsentEntryConfiguration : IEntityTypeConfiguration<ConsentEntry>
{
    /// <summary>The longest actor id, actor name and reason an entry keeps (the ledger shortens longer ones before sealing).</summary>
    public const int ActorIdLength = 64, ActorNameLength = 256, ReasonLength = 2048;

    public void Configure(EntityTypeBuilder<ConsentEntry> builder)
    {
        builder.ToTable(ConsentLedgerSql.LedgerTable);
        // The chain position is the key: assigned by the ledger, so two writers can never both add entry n.
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Action).HasMaxLength(32);
        builder.Property(e => e.ActorId).HasMaxLength(ActorIdLength);
        builder.Property(e => e.ActorName).HasMaxLength(ActorNameLength);
        builder.Property(e => e.ActorRole).HasMaxLength(32);
        builder.Property(e => e.CollectionMethod).HasMaxLength(32);
        builder.Property(e => e.Reason).HasMaxLength(ReasonLength);
        builder.Property(e => e.PolicyVersion).HasMaxLength(64);
        builder.Property(e => e.Reference).HasMaxLength(128);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        // A second entry pointing at the same predecessor would fork the chain.
        builder.HasIndex(e => e.PreviousHash).IsUnique();
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.Action, e.Id });
    }
}
