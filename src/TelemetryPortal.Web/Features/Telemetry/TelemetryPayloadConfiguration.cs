using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

internal sealed class TelemetryPayloadConfiguration : IEntityTypeConfiguration<TelemetryPayload>
{
    public void Configure(EntityTypeBuilder<TelemetryPayload> builder)
    {
        builder.ToTable("payloads");
        builder.Property(p => p.Kind).HasConversion<PayloadKindConverter>().HasMaxLength(16);
        builder.Property(p => p.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Endpoint).HasMaxLength(2048);
        builder.Property(p => p.CoderVersion).HasMaxLength(64);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Sha256).HasMaxLength(64);
        builder.Property(p => p.LastError).HasMaxLength(1024);
        builder.Property(p => p.LeaseOwner).HasMaxLength(200);
        builder.HasIndex(p => p.IdempotencyKey).IsUnique();
        builder.HasIndex(p => p.CapturedAt);
        builder.HasIndex(p => new { p.Status, p.NextAttemptAt });
        builder.HasIndex(p => p.Sha256);

        // The history page filters by kind, level, status and time and sorts newest first. SQLite without
        // ANALYZE statistics takes an equality on any indexed column as very selective, so each common
        // filter needs an index that also keeps CapturedAt order; otherwise it sorts most of the table
        // (see bench/HISTORY-RESULTS.md). All four filters together are answered from one covering index.
        builder.HasIndex(p => new { p.Kind, p.Level, p.Status, p.CapturedAt });
        builder.HasIndex(p => new { p.Kind, p.CapturedAt });
        builder.HasIndex(p => new { p.Status, p.CapturedAt });
        // Sorting by size; also the narrowest index, which SQLite scans for the unfiltered COUNT(*).
        builder.HasIndex(p => p.SizeBytes);
    }
}

/// <summary>A <see cref="PayloadKind"/> as the text the protocol and the database have always used: <c>snapshot</c>, <c>deployment</c>.</summary>
internal sealed class PayloadKindConverter() : ValueConverter<PayloadKind, string>(kind => PayloadKinds.Name(kind), name => Parse(name))
{
    private static PayloadKind Parse(string name) =>
        PayloadKinds.TryParse(name, out var kind) ? kind : throw new InvalidDataException($"\"{name}\" is not a payload kind.");
}
