using System.Buffers;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The embedded default's source: a simulated Coder installation of the configured size, reporting as this deployment.</summary>
public sealed class SimulatedTelemetrySource(DeploymentService deployment, IOptionsMonitor<TelemetryOptions> options, TimeProvider time)
{
    /// <summary>The payload the installation would report now, serialised as Coder does.</summary>
    public async Task<byte[]> CaptureAsync(PayloadKind kind, CancellationToken ct = default)
    {
        var installation = await CreateAsync(ct);
        if (kind == PayloadKind.Deployment)
        {
            return TelemetryJson.Serialize(installation.CreateDeployment());
        }

        var buffer = new ArrayBufferWriter<byte>();
        installation.WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The last deployment report, sent as the installation shuts down: <c>shutdown_at</c> is now.</summary>
    public async Task<byte[]> CaptureShutdownAsync(CancellationToken ct = default)
    {
        var installation = await CreateAsync(ct);
        return TelemetryJson.Serialize(installation.CreateDeployment(shutdownAt: time.GetUtcNow()));
    }

    public string CoderVersion => options.CurrentValue.SimulatedCoderVersion;

    private async Task<SimulatedInstallation> CreateAsync(CancellationToken ct)
    {
        var deploymentId = await deployment.GetDeploymentIdAsync(ct);
        var size = options.CurrentValue.Simulation;
        return new SimulatedInstallation(new SimulationOptions
        {
            // The same people and workspaces on every report of this deployment; activity follows the clock.
            Seed = deploymentId.GetHashCode(),
            DeploymentId = deploymentId,
            Now = time.GetUtcNow(),
            Organizations = size.Organizations,
            Users = size.Users,
            Templates = size.Templates,
            Workspaces = size.Workspaces,
            RecentActivity = size.RecentActivity,
        });
    }
}
