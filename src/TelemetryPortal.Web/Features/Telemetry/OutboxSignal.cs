namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>Wakes the sender when something was queued, so it need not poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        // One pending wake-up is enough; more would only repeat the same scan.
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller released it between the check and here.
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a notification or the timeout, whichever comes first; returns whether it was notified.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutSource.Token);
        try
        {
            await _signal.WaitAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The timeout elapsed: time to look at the outbox again.
            return false;
        }
    }
}
