using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// With the simulated source, captures a deployment and a snapshot report shortly after start and
/// then every <see cref="TelemetryOptions.Interval"/>, and a last deployment report with
/// <c>shutdown_at</c> at shutdown. (With the Coder proxy, Coder decides when to report.) The schedule
/// is kept in the database (<see cref="ScheduledJobs"/>): instances sharing one database report once per
/// interval between them, whichever claims it first.
/// </summary>
public sealed partial class TelemetryScheduler(
    SimulatedTelemetrySource source,
    TelemetryCaptureService capture,
    OutboxSender sender,
    OutboxSignal outbox,
    TelemetryEndpoint endpoint,
    TelemetryLevelService levels,
    ScheduledJobs jobs,
    IOptionsMonitor<TelemetryOptions> options,
    TimeProvider time,
    ILogger<TelemetryScheduler> logger) : BackgroundService
{
    /// <summary>The schedule's name in <c>scheduled_jobs</c>.</summary>
    public const string JobName = "simulated-report";

    private readonly OutboxSignal _reportNow = new();
    private volatile bool _reported;
    private Lazy<Task>? _shutdownReport;

    public override void Dispose()
    {
        _reportNow.Dispose();
        base.Dispose();
    }

    /// <summary>When the next report is due (simulated source only); <see langword="null"/> before start or in proxy mode.</summary>
    public DateTimeOffset? NextReportAt { get; private set; }

    /// <summary>What a report asked for now becomes, in words, below level 0.</summary>
    public const string ReportQueued = "A report was queued; it appears in the history within seconds.";

    /// <summary>What a report asked for now becomes, in words, at level 0: it is recorded, and nothing leaves.</summary>
    public const string NothingLeaves =
        "Level 0 is in force: nothing leaves this installation. The report is recorded in the history as not sent, so you can see what was kept back.";

    /// <summary>What sending now at <paramref name="effective"/> does, in words.</summary>
    public static string SendNowMessage(TelemetryLevel effective) => effective == TelemetryLevel.Off ? NothingLeaves : ReportQueued;

    /// <summary>
    /// Sends now: wakes the sender (payloads waiting to be retried go at once) and, with the simulated source, asks for a
    /// report now instead of at the next interval. At level 0 the report is captured and kept back like every other.
    /// </summary>
    /// <returns>What that does at the level in force, in words (<see cref="SendNowMessage"/>).</returns>
    /// <exception cref="PortalProblemException">In proxy mode Coder decides when to report (409); the sender was still woken.</exception>
    public async Task<string> SendNowAsync(CancellationToken ct = default)
    {
        var level = (await levels.ResolveAsync(ct)).Effective;
        outbox.Notify();
        if (options.CurrentValue.Source != TelemetrySource.Simulated)
        {
            throw PortalProblemException.Conflict(
                "Coder decides when to report",
                level == TelemetryLevel.Off
                    ? "In proxy mode each report from Coder is kept here as it arrives; at level 0 nothing leaves this installation."
                    : "In proxy mode each report from Coder is forwarded as it arrives; payloads waiting to be retried were woken up.");
        }

        _reportNow.Notify();
        return SendNowMessage(level);
    }

    /// <summary>Captures one report: the deployment, then the snapshot.</summary>
    public async Task ReportAsync(CancellationToken ct)
    {
        foreach (var kind in new[] { PayloadKind.Deployment, PayloadKind.Snapshot })
        {
            // Streamed from the simulation through the redactor into the store: never whole, whatever the size.
            await using var payload = await source.OpenAsync(kind, ct);
            await capture.CaptureAsync(kind, payload, TelemetrySource.Simulated, source.CoderVersion, ct: ct);
        }

        _reported = true;
    }

    /// <summary>
    /// Stops the schedule; then, if this run reported at all, captures the last deployment report (with
    /// <c>shutdown_at</c>) and sends what is due for at most <see cref="TelemetryOptions.ShutdownReportTimeout"/>.
    /// The sender's own loop has stopped by now (registered after this service, it is stopped before it),
    /// so this is the only send.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A host may stop its services more than once, even at the same time (a stop, then a dispose):
        // one last report, and every caller waits for it, so none goes on to dispose what it uses.
        var report = new Lazy<Task>(() => SendShutdownReportAsync(cancellationToken));
        await (Interlocked.CompareExchange(ref _shutdownReport, report, null) ?? report).Value;
    }

    private async Task SendShutdownReportAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.Source != TelemetrySource.Simulated || !_reported || settings.ShutdownReportTimeout <= TimeSpan.Zero)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.ShutdownReportTimeout);
        try
        {
            var bytes = await source.CaptureShutdownAsync(deadline.Token);
            var captured = await capture.CaptureAsync(PayloadKind.Deployment, bytes, TelemetrySource.Simulated, source.CoderVersion, ct: deadline.Token);
            // The built-in collector is this process, whose server has already stopped listening: the
            // report waits in the outbox and reaches it at the next start.
            if (!endpoint.IsBuiltInCollector)
            {
                await sender.SendDueAsync(deadline.Token);
            }

            LogShutdownReport(captured.PayloadId, endpoint.IsBuiltInCollector ? "kept for the built-in collector at the next start" : "what was due is sent");
        }
        catch (Exception ex)
        {
            LogShutdownReportUnsent(settings.ShutdownReportTimeout, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CurrentValue.Source != TelemetrySource.Simulated)
        {
            return;
        }

        // The first report of this start waits at least FirstReportDelay, whatever the shared schedule says.
        var notBefore = time.GetUtcNow() + options.CurrentValue.FirstReportDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool askedFor;
            try
            {
                var due = await jobs.DueAtAsync(JobName, notBefore, stoppingToken);
                var at = due > notBefore ? due : notBefore;
                NextReportAt = at;
                var wait = at - time.GetUtcNow();
                askedFor = await _reportNow.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
                var next = time.GetUtcNow() + options.CurrentValue.Interval;
                if (askedFor)
                {
                    // Sent now by hand: the next report on the schedule is one interval from now.
                    await jobs.RescheduleAsync(JobName, next, stoppingToken);
                }
                else if (!await jobs.TryClaimAsync(JobName, next, stoppingToken))
                {
                    // Another instance reported for this interval (or moved the schedule): wait for the next.
                    continue;
                }

                await ReportAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReportFailed(ex);
                NextReportAt = time.GetUtcNow() + options.CurrentValue.Interval;
                await _reportNow.WaitAsync(options.CurrentValue.Interval, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Shutdown report captured as payload {PayloadId}: {Outcome}")]
    private partial void LogShutdownReport(long payloadId, string outcome);

    [LoggerMessage(LogLevel.Warning, "The shutdown report was not captured or sent within {Timeout}; what is in the outbox goes at the next start")]
    private partial void LogShutdownReportUnsent(TimeSpan timeout, Exception exception);

    [LoggerMessage(LogLevel.Error, "Capturing the simulated installation's report failed; it is tried again in an interval")]
    private partial void LogReportFailed(Exception exception);
}
