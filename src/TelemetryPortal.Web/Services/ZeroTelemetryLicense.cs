namespace TelemetryPortal.Web.Services;

/// <summary>Whether a valid zero-telemetry license for this deployment is applied (level 0 needs one).</summary>
public interface IZeroTelemetryLicense
{
    Task<bool> IsValidAsync(CancellationToken ct = default);
}

/// <summary>Until licensing exists, no license is ever valid, so level 0 always runs at level 1.</summary>
public sealed class NoZeroTelemetryLicense : IZeroTelemetryLicense
{
    public Task<bool> IsValidAsync(CancellationToken ct = default) => Task.FromResult(false);
}
