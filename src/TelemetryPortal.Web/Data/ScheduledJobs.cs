using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace TelemetryPortal.Web.Data;

/// <summary>A job that runs once per interval across every instance sharing the database: when it is due next, and who ran it last.</summary>
public sealed class ScheduledJob
{
    public required string Name { get; set; }

    /// <summary>When it is due next; the instance that moves it on runs it.</summary>
    public DateTime DueAt { get; set; }

    public DateTime? LastStartedAt { get; set; }

    /// <summary>The instance (<see cref="DatabaseOptions.InstanceName"/>) that ran it last.</summary>
    public string? LastRunBy { get; set; }
}

internal sealed class ScheduledJobConfiguration : IEntityTypeConfiguration<ScheduledJob>
{
    public void Configure(EntityTypeBuilder<ScheduledJob> builder)
    {
        builder.ToTable("scheduled_jobs");
        builder.HasKey(j => j.Name);
        builder.Property(j => j.Name).HasMaxLength(64);
        builder.Property(j => j.LastRunBy).HasMaxLength(200);
    }
}

/// <summary>
/// Runs scheduled work (captures on the schedule, pruning, license expiry) once per interval across every instance on
/// one database: each instance waits until the job is due, and only the one whose claim moves the due time on runs it.
/// The claim is one conditional UPDATE, atomic on SQLite and PostgreSQL alike. A run claimed by an instance that dies
/// before finishing is not repeated until the next interval.
/// </summary>
public sealed class ScheduledJobs(IDbContextFactory<PortalDbContext> dbFactory, IOptions<DatabaseOptions> database, TimeProvider time)
{
    /// <summary>When <paramref name="name"/> is due next; a job not seen before is created due at <paramref name="firstDue"/>.</summary>
    public async Task<DateTimeOffset> DueAtAsync(string name, DateTimeOffset firstDue, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = firstDue.UtcDateTime;
        // Two instances starting together both insert; the second is a no-op on either database.
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO scheduled_jobs ("Name", "DueAt") VALUES ({name}, {due}) ON CONFLICT ("Name") DO NOTHING""", ct);
        var stored = await db.ScheduledJobs.AsNoTracking().Where(j => j.Name == name).Select(j => j.DueAt).SingleAsync(ct);
        return new DateTimeOffset(stored, TimeSpan.Zero);
    }

    /// <summary>
    /// Claims the run that is due now: when <paramref name="name"/> is due, moves it to <paramref name="next"/> and returns
    /// <see langword="true"/>, for exactly one caller across every instance; otherwise (not due yet, or another instance
    /// claimed it first) <see langword="false"/>.
    /// </summary>
    public async Task<bool> TryClaimAsync(string name, DateTimeOffset next, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var nextUtc = next.UtcDateTime;
        var me = database.Value.InstanceName;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.ScheduledJobs
            .Where(j => j.Name == name && j.DueAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.DueAt, nextUtc).SetProperty(j => j.LastStartedAt, now).SetProperty(j => j.LastRunBy, me), ct);
        return claimed == 1;
    }

    /// <summary>Sets when <paramref name="name"/> is due next, e.g. one interval after a run asked for by hand.</summary>
    public async Task RescheduleAsync(string name, DateTimeOffset next, CancellationToken ct)
    {
        var nextUtc = next.UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ScheduledJobs.Where(j => j.Name == name).ExecuteUpdateAsync(s => s.SetProperty(j => j.DueAt, nextUtc), ct);
    }
}
