using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Configuration;

namespace TelemetryPortal.Web.Services;

/// <summary>The telemetry level in force, resolved from the environment, the admin's choice, the settings and the license.</summary>
public sealed class TelemetryLevelService(IOptionsMonitor<TelemetryOptions> options, IZeroTelemetryLicense license)
{
    public async Task<LevelResolution> ResolveAsync(CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        // The admin's choice comes from the consent ledger, which does not exist yet.
        var inputs = new LevelInputs(
            Environment: settings.PinnedLevel,
            AdminChoice: null,
            AppSettings: settings.ConfiguredLevel,
            HasZeroTelemetryLicense: await license.IsValidAsync(ct));
        return LevelResolver.Resolve(inputs);
    }
}
