using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Payloads shaped as Coder sends them: every path of Coder's schema, encoded as Go writes it.</summary>
internal static class CoderPayloads
{
    // Busy enough that every last-hour list has records, failed jobs included (their errors quote addresses).
    private static readonly SimulatedInstallation s_installation = new(new SimulationOptions { Users = 12, Workspaces = 20, RecentActivity = 0.5, FailedJobs = 0.5 });

    public static byte[] Snapshot { get; } = TelemetryJson.Serialize(s_installation.CreateSnapshot());

    public static byte[] Deployment { get; } = TelemetryJson.Serialize(s_installation.CreateDeployment());
}
