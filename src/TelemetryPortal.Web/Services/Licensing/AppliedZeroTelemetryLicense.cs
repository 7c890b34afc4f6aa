namespace TelemetryPortal.Web.Services.Licensing;

/// <summary>Level 0 is unlocked while the license in force is valid: not expired, not revoked.</summary>
public sealed class AppliedZeroTelemetryLicense(LicenseService licenses) : IZeroTelemetryLicense
{
    public async Task<bool> IsValidAsync(CancellationToken ct = default) => (await licenses.GetStatusAsync(ct)).UnlocksLevelZero;
}
