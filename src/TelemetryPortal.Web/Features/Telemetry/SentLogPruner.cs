using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Data;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Removes sent-log entries older than <see cref="TelemetryOptions.RetentionDays"/>, and content
/// nothing refers to any more (a keyframe stays while a delta kept is made against it). Runs every six hours,
/// once between all the instances sharing the database (<see cref="ScheduledJobs"/>).
/// </summary>
public sealed partial class SentLogPruner(
    IDbContextFactory<PortalDbContext> dbFactory,
    PayloadStore store,
    IOptionsMonitor<TelemetryOptions> options,
    ScheduledJobs jobs,
    TimeProvider time,
    ILogger<SentLogPruner> logger) : BackgroundService
{
    /// <summary>The schedule's name in <c>scheduled_jobs</c>.</summary>
    public const string JobName = "prune";

    private static readonly TimeSpan s_every = TimeSpan.FromHours(6);

    /// <summary>Prunes once; returns the number of payloads removed. Payloads still waiting to be sent are kept.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.CurrentValue.RetentionDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var payloads = await db.Payloads
            .Where(p => p.CapturedAt < cutoff && p.Status != PayloadStatus.Pending && p.Status != PayloadStatus.Retrying)
            .ExecuteDeleteAsync(ct);
        await db.CollectorReceipts.Where(r => r.ReceivedAt < cutoff).ExecuteDeleteAsync(ct);
        // Contents nothing refers to any more (a keyframe stays while a delta kept needs it).
        var contents = await store.DeleteUnusedAsync(db, ct);
        await transaction.CommitAsync(ct);
        if (payloads > 0 || contents > 0)
        {
            LogPruned(payloads, contents, cutoff);
        }

        return payloads;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await jobs.DueAtAsync(JobName, time.GetUtcNow(), stoppingToken);
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < s_every ? wait : s_every, time, stoppingToken);
                    continue;
                }

                if (await jobs.TryClaimAsync(JobName, time.GetUtcNow() + s_every, stoppingToken))
                {
                    await PruneAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPruneFailed(ex);
                await Task.Delay(TimeSpan.FromMinutes(5), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Pruned {Payloads} payloads and {Contents} contents captured before {Cutoff:u}")]
    private partial void LogPruned(int payloads, int contents, DateTime cutoff);

    [LoggerMessage(LogLevel.Error, "Pruning the sent log failed; it tries again later")]
    private partial void LogPruneFailed(Exception exception);
}
