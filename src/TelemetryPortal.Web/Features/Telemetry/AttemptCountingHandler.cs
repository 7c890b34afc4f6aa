using System.Runtime.CompilerServices;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Sits inside the resilience pipeline, so it sees every HTTP request actually made, retries
/// included, and counts them for the send in progress.
/// </summary>
public sealed class AttemptCountingHandler : DelegatingHandler
{
    private static readonly AsyncLocal<StrongBox<int>?> s_current = new();

    /// <summary>Starts counting for the send on this async flow; read the box when it is done.</summary>
    public static StrongBox<int> Begin()
    {
        var box = new StrongBox<int>();
        s_current.Value = box;
        return box;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (s_current.Value is { } box)
        {
            Interlocked.Increment(ref box.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
