namespace TelemetryPortal.Web.Features.Consent;

/// <summary>
/// Serialises what changes the level in force (level decisions; applying, revoking and expiring a license)
/// with sending: the sender holds the gate from reading the level in force until the payload is on the wire
/// and answered, so no payload leaves at a level the admin has already lowered. A change waits for a send
/// in flight (at most <c>Telemetry:RequestTimeout</c> and the client's quick retries).
/// </summary>
public sealed class ConsentGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>Enters the gate; dispose the result to leave it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        return new Exit(_gate);
    }

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}
