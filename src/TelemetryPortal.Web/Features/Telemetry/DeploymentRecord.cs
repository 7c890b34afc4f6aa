namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>The one row that identifies this installation; created at first start and kept.</summary>
public sealed class DeploymentRecord
{
    /// <summary>Always <see cref="SingletonKey"/>: the table holds one row.</summary>
    public int Id { get; set; } = SingletonKey;

    public const int SingletonKey = 1;

    public Guid DeploymentId { get; set; }

    public DateTime CreatedAt { get; set; }
}
