namespace TelemetryPortal.Web.Features.Licensing;

/// <summary>Whether a valid zero-telemetry license for this deployment is applied (level 0 needs one).</summary>
public interface IZeroTelemetryLicense
{
    Task<bool> IsValidAsync(CancellationToken ct = default);
}
