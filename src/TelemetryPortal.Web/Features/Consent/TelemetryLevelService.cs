using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>Why a level change was refused.</summary>
public enum LevelChangeError
{
    /// <summary><c>CODER_TELEMETRY</c> pins the level.</summary>
    Pinned,

    /// <summary>The policy text shown is not the current one for that level.</summary>
    StalePolicy,

    /// <summary>The consent ledger fails verification, so a decision recorded after the break would not be trusted.</summary>
    LedgerBroken,
}

/// <summary>A level change that was refused; <see cref="Exception.Message"/> says why, in words for the user.</summary>
public sealed class LevelChangeException(LevelChangeError error, string message) : Exception(message)
{
    public LevelChangeError Error { get; } = error;
}

/// <summary>A recorded level decision and what it led to.</summary>
/// <param name="Entry">The ledger entry of the decision.</param>
/// <param name="Policy">The policy text the decision was made on.</param>
/// <param name="Resolution">The level in force after it.</param>
public sealed record LevelDecision(ConsentRecord Entry, ConsentPolicy Policy, LevelResolution Resolution);

/// <summary>
/// The telemetry level in force, resolved from the environment, the admin's latest decision in the
/// consent ledger, the settings and the license; and the admin's decisions themselves. When the ledger
/// fails verification, only decisions before the first broken entry count, and the level is the most
/// private of that and the settings.
/// </summary>
public sealed class TelemetryLevelService(
    IOptionsMonitor<TelemetryOptions> options,
    IZeroTelemetryLicense license,
    ConsentLedgerService ledger,
    ConsentPolicies policies,
    ConsentGate gate,
    Telemetry.OutboxLevelEnforcer outbox)
{
    /// <summary>The level in force now; each capture asks again, so a decision applies to the next one.</summary>
    public Task<LevelResolution> ResolveAsync(CancellationToken ct = default) => ResolveAsync(null, null, ct);

    /// <summary>
    /// The level that will be in force once a change being committed lands: with <paramref name="choice"/> as the
    /// admin's latest decision and/or <paramref name="licenseValid"/> as whether a zero-telemetry license is in force.
    /// </summary>
    public async Task<LevelResolution> ResolveAsync(TelemetryLevel? choice, bool? licenseValid, CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        // Verification walks the whole chain; a result a few seconds old is good enough for each resolution.
        var broken = (await ledger.GetVerificationAsync(ct)).FirstBroken;
        var inputs = new LevelInputs(
            Environment: settings.PinnedLevel,
            AdminChoice: choice ?? await ledger.GetLatestDecisionAsync(broken?.Position, ct),
            AppSettings: settings.ConfiguredLevel,
            HasZeroTelemetryLicense: licenseValid ?? await license.IsValidAsync(ct),
            LedgerBrokenAt: broken?.Id);
        return LevelResolver.Resolve(inputs);
    }

    /// <summary>
    /// Records the admin's choice of <paramref name="level"/> in the ledger, with the policy text of
    /// that level, then records the effective level if it changed.
    /// </summary>
    /// <param name="shownPolicyVersion">The version of the policy text the admin saw; <see langword="null"/> means the current one.</param>
    /// <exception cref="LevelChangeException">The level is pinned, or the policy shown is out of date.</exception>
    public async Task<LevelDecision> ChooseAsync(
        TelemetryLevel level, ConsentActor actor, string collectionMethod, string? reason, string? shownPolicyVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be 0, 1 or 2.");
        }

        var policy = policies.For(level);
        LevelResolution? after = null;
        IReadOnlyList<ConsentRecord> records;
        using (await gate.EnterAsync(ct))
        {
            // Read the level in force and record the decision and the effective level it leads to while no other
            // change can land (the ledger serialises appends): each decision's "from" is the level before it.
            records = await ledger.CommitAsync(async db =>
            {
                var before = await ResolveAsync(ct);
                if (before.Pinned)
                {
                    throw new LevelChangeException(LevelChangeError.Pinned,
                        $"The level is pinned by {TelemetryLevels.EnvironmentVariable}={(int)before.Requested}; change the environment variable and restart the portal to change it.");
                }

                if (before.LedgerBrokenAt is { } brokenAt)
                {
                    throw new LevelChangeException(LevelChangeError.LedgerBroken,
                        $"The consent ledger fails verification at entry {brokenAt}, so decisions recorded from there on are not trusted and a new one would not take effect. Set Telemetry:Level or {TelemetryLevels.EnvironmentVariable} to change the level until the database is restored from a backup; see Consent history.");
                }

                if (shownPolicyVersion is not null && !string.Equals(shownPolicyVersion, policy.Version, StringComparison.Ordinal))
                {
                    throw new LevelChangeException(LevelChangeError.StalePolicy,
                        $"The policy text of level {(int)level} has changed since it was shown (shown {shownPolicyVersion}, current {policy.Version}); read it again before choosing.");
                }

                after = await ResolveAsync(level, null, ct);
                var decision = new ConsentEvent(ConsentActions.LevelChosen, actor, collectionMethod, (int)before.Requested, (int)level, reason?.Trim() ?? "", policy);
                return await ConsentLedgerService.EffectiveLevelEventAsync(db, after, ct) is { } effective ? [decision, effective] : [decision];
            }, ct);

            // What is still queued above the new level is redacted again (or suppressed at 0) before anything is sent.
            await outbox.ApplyAsync(after!.Effective, ct);
        }

        var entry = records[0];
        return new LevelDecision(entry, policy, after!);
    }
}
