using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Configuration;

namespace TelemetryPortal.Web.Services;

/// <summary>The telemetry level in force, resolved from the environment, the admin's choice and the settings.</summary>
public sealed class TelemetryLevelService(IOptionsMonitor<TelemetryOptions> options)
{
    public Task<LevelResolution> ResolveAsync(CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        // The admin's choice comes from the consent ledger and licenses from the licensing feature;
        // neither exists yet, so there is no recorded choice and no license is ever valid.
        var inputs = new LevelInputs(
            Environment: settings.PinnedLevel,
            AdminChoice: null,
            AppSettings: settings.ConfiguredLevel,
            HasZeroTelemetryLicense: false);
        return Task.FromResult(LevelResolver.Resolve(inputs));
    }
}
