using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>The current policy text of each level, generated once from the data dictionary.</summary>
public sealed class ConsentPolicies
{
    private readonly Dictionary<TelemetryLevel, ConsentPolicy> _byLevel =
        ConsentPolicy.All(DataDictionary.Default).ToDictionary(p => p.Level);

    /// <summary>The three policies, from most to least data sent.</summary>
    public IReadOnlyList<ConsentPolicy> All => [.. TelemetryLevels.All.Select(For)];

    /// <summary>The current policy of <paramref name="level"/>.</summary>
    public ConsentPolicy For(TelemetryLevel level) => _byLevel[level];
}
