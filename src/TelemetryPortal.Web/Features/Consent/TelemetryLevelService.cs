using System.Globalization;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Consent;

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
    /// <summary>The longest reason recorded with a decision, in characters.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>The level in force now; each capture asks again, so a decision applies to the next one.</summary>
    public Task<LevelResolution> ResolveAsync(CancellationToken ct = default) => ResolveAsync(null, null, ct);

    /// <summary>
    /// The level that will be in force once a change being committed lands: with <paramref name="choice"/> as the
    /// admin's latest decision and/or <paramref name="licenseValid"/> as whether a zero-telemetry license is in force.
    /// </summary>
    public async Task<LevelResolution> ResolveAsync(TelemetryLevel? choice, bool? licenseValid, CancellationToken ct = default) =>
        LevelResolver.Resolve(await InputsAsync(choice, licenseValid, ct));

    /// <summary>The level <paramref name="value"/> names: the one check of a level a request gives.</summary>
    /// <exception cref="PortalProblemException">Invalid: it is none of 0, 1 or 2 (or nothing).</exception>
    public static TelemetryLevel LevelOf(int? value) => value is { } level && TelemetryLevels.IsDefined(level)
        ? (TelemetryLevel)level
        : throw PortalProblemException.Invalid(TelemetryLevels.NotALevel("level", value?.ToString(CultureInfo.InvariantCulture) ?? "nothing"));

    /// <summary>
    /// Records the admin's choice of <paramref name="level"/> in the ledger, with the policy text of
    /// that level, then records the effective level if it changed.
    /// </summary>
    /// <param name="shownPolicyVersion">The version of the policy text the admin saw; <see langword="null"/> means the current one.</param>
    /// <exception cref="PortalProblemException">
    /// Invalid: the level is not one, or the reason is too long. Conflict: the level is pinned, the ledger fails
    /// verification, or the policy shown is out of date.
    /// </exception>
    public async Task<LevelDecision> ChooseAsync(
        TelemetryLevel level, ConsentActor actor, string collectionMethod, string? reason, string? shownPolicyVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        level = LevelOf((int)level);
        if (reason is { Length: > MaxReasonLength })
        {
            throw PortalProblemException.Invalid($"reason must be at most {MaxReasonLength} characters; got {reason.Length}.");
        }

        if (StorableText.Problem(reason) is { } unstorable)
        {
            throw PortalProblemException.Invalid($"reason contains {unstorable}; remove it.");
        }

        var policy = policies.For(level);
        LevelResolution? after = null;
        IReadOnlyList<ConsentRecord> records;
        using (await gate.EnterAsync(ct))
        {
            // Read the level in force and record the decision and the effective level it leads to while no other
            // change can land (the ledger serialises appends): each decision's "from" is the level before it.
            // The inputs are read once; the level after is the same inputs with this decision as the admin's latest.
            records = await ledger.CommitAsync(async db =>
            {
                var inputs = await InputsAsync(null, null, ct);
                var before = LevelResolver.Resolve(inputs);
                if (before.Pinned)
                {
                    throw PortalProblemException.Conflict("The level is pinned",
                        $"The level is pinned by {TelemetryLevels.EnvironmentVariable}={(int)before.Requested}; change the environment variable and restart the portal to change it.");
                }

                if (before.LedgerBrokenAt is { } brokenAt)
                {
                    throw PortalProblemException.Conflict(ConsentLedgerService.FailsVerification,
                        $"The consent ledger fails verification at entry {brokenAt}, so decisions recorded from there on are not trusted and a new one would not take effect. Set Telemetry:Level or {TelemetryLevels.EnvironmentVariable} to change the level until the database is restored from a backup; see Consent history.");
                }

                if (shownPolicyVersion is not null && !string.Equals(shownPolicyVersion, policy.Version, StringComparison.Ordinal))
                {
                    throw PortalProblemException.Conflict("The policy text has changed",
                        $"The policy text of level {(int)level} has changed since it was shown (shown {shownPolicyVersion}, current {policy.Version}); read it again before choosing.");
                }

                after = LevelResolver.Resolve(inputs with { AdminChoice = level });
                var decision = new ConsentEvent(ConsentActions.LevelChosen, actor, collectionMethod, (int)before.Requested, (int)level, reason?.Trim() ?? "", policy);
                return await ConsentLedgerService.EffectiveLevelEventAsync(db, after, ct) is { } effective ? [decision, effective] : [decision];
            }, ct);

            // What is still queued above the new level is redacted again (or suppressed at 0) before anything is sent.
            await outbox.ApplyAsync(after!.Effective, ct);
        }

        var entry = records[0];
        return new LevelDecision(entry, policy, after!);
    }

    // What the level is resolved from; verification walks the whole chain, and a result a few seconds old is good enough.
    private async Task<LevelInputs> InputsAsync(TelemetryLevel? choice, bool? licenseValid, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var broken = (await ledger.GetVerificationAsync(ct)).FirstBroken;
        return new LevelInputs(
            Environment: settings.PinnedLevel,
            AdminChoice: choice ?? await ledger.GetLatestDecisionAsync(broken?.Position, ct),
            AppSettings: settings.ConfiguredLevel,
            HasZeroTelemetryLicense: licenseValid ?? await license.IsValidAsync(ct),
            LedgerBrokenAt: broken?.Id);
    }
}
