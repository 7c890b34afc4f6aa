using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TelemetryPortal.Web.Data;

/// <summary>One of the portal's own private keys (PEM), kept in the database so that every instance signs with the same one.</summary>
public sealed class PortalKey
{
    public required string Name { get; set; }

    public required string Pem { get; set; }

    public DateTime CreatedAt { get; set; }
}

internal sealed class PortalKeyConfiguration : IEntityTypeConfiguration<PortalKey>
{
    public void Configure(EntityTypeBuilder<PortalKey> builder)
    {
        builder.ToTable("portal_keys");
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasMaxLength(64);
    }
}

/// <summary>Reads and creates <see cref="PortalKey"/>s: the first instance to create a key wins, and every instance then uses that one.</summary>
public static class PortalKeys
{
    /// <summary>The key named <paramref name="name"/>; when there is none, stores <paramref name="create"/>'s (unless another instance stored one first) and returns the one stored.</summary>
    public static string GetOrCreate(PortalDbContext db, string name, Func<string> create, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(create);
        if (db.PortalKeys.AsNoTracking().Where(k => k.Name == name).Select(k => k.Pem).SingleOrDefault() is { } existing)
        {
            return existing;
        }

        var pem = create();
        db.Database.ExecuteSql($"""INSERT INTO portal_keys ("Name", "Pem", "CreatedAt") VALUES ({name}, {pem}, {now}) ON CONFLICT ("Name") DO NOTHING""");
        return db.PortalKeys.AsNoTracking().Where(k => k.Name == name).Select(k => k.Pem).Single();
    }
}
