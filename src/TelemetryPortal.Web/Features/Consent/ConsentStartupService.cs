using Microsoft.Extensions.Options;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// At start: creates the receipt key if needed, and records in the ledger whether the environment
/// pins the level and the effective level, when they differ from what was last recorded.
/// </summary>
public sealed class ConsentStartupService(
    ConsentReceiptKey key,
    ConsentLedgerService ledger,
    TelemetryLevelService levels,
    IOptionsMonitor<TelemetryOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        key.EnsureCreated();
        await ledger.RecordPinStateAsync(options.CurrentValue.PinnedLevel, cancellationToken);
        await ledger.RecordEffectiveLevelAsync(await levels.ResolveAsync(cancellationToken), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
