using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Configuration;

namespace TelemetryPortal.Web.Services.Telemetry;

/// <summary>
/// With the simulated source, captures a deployment and a snapshot report shortly after start and
/// then every <see cref="TelemetryOptions.Interval"/>. (With the Coder proxy, Coder decides when to report.)
/// </summary>
public sealed partial class TelemetryScheduler(
    SimulatedTelemetrySource source,
    TelemetryCaptureService capture,
    IOptionsMonitor<TelemetryOptions> options,
    TimeProvider time,
    ILogger<TelemetryScheduler> logger) : BackgroundService
{
    private readonly OutboxSignal _reportNow = new();

    public override void Dispose()
    {
        _reportNow.Dispose();
        base.Dispose();
    }

    /// <summary>When the next report is due (simulated source only); <see langword="null"/> before start or in proxy mode.</summary>
    public DateTimeOffset? NextReportAt { get; private set; }

    /// <summary>Asks for a report now instead of at the next interval.</summary>
    public void RequestReport() => _reportNow.Notify();

    /// <summary>Captures one report: the deployment, then the snapshot.</summary>
    public async Task ReportAsync(CancellationToken ct)
    {
        foreach (var kind in new[] { PayloadKind.Deployment, PayloadKind.Snapshot })
        {
            var bytes = await source.CaptureAsync(kind, ct);
            await capture.CaptureAsync(kind, bytes, nameof(TelemetrySource.Simulated), source.CoderVersion, ct: ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CurrentValue.Source != TelemetrySource.Simulated)
        {
            return;
        }

        NextReportAt = time.GetUtcNow() + options.CurrentValue.FirstReportDelay;
        await _reportNow.WaitAsync(options.CurrentValue.FirstReportDelay, time, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReportFailed(ex);
            }

            NextReportAt = time.GetUtcNow() + options.CurrentValue.Interval;
            await _reportNow.WaitAsync(options.CurrentValue.Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Error, "Capturing the simulated installation's report failed; the next interval tries again")]
    private partial void LogReportFailed(Exception exception);
}
