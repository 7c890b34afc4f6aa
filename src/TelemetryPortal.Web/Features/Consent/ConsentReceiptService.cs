using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Telemetry;

namespace TelemetryPortal.Web.Features.Consent;

/// <summary>A receipt as it is downloaded: the receipt, its signature, and the key to check it with.</summary>
/// <param name="Receipt">The receipt, readable.</param>
/// <param name="Jws">The same receipt as a compact JWS (ES256); its payload is what counts.</param>
/// <param name="PublicKey">The portal's receipt key as a JWK.</param>
public sealed record SignedConsentReceipt(
    [property: JsonPropertyName("receipt")] ConsentReceipt Receipt,
    [property: JsonPropertyName("jws")] string Jws,
    [property: JsonPropertyName("publicKey")] ReceiptPublicKey PublicKey);

/// <summary>
/// Builds and signs the consent receipt of a level decision. Each receipt also records the ledger's head when it
/// is issued, so it vouches for every entry up to there (see <see cref="ConsentReceiptChecker"/>).
/// </summary>
public sealed class ConsentReceiptService(
    ConsentLedgerService ledger,
    ConsentPolicies policies,
    ConsentReceiptKey key,
    DeploymentService deployment,
    TelemetryEndpoint endpoint,
    IOptions<ConsentOptions> options,
    TimeProvider time)
{
    /// <summary>The signed receipt of entry <paramref name="id"/>, or <see langword="null"/> when there is no such level decision.</summary>
    /// <exception cref="PortalProblemException">Conflict: the chain does not verify (a receipt would pin a broken head).</exception>
    public async Task<SignedConsentReceipt?> GetAsync(long id, CancellationToken ct = default)
    {
        if (await ledger.GetAsync(id, ct) is not { Action: ConsentActions.LevelChosen })
        {
            return null;
        }

        // The head is read in the same walk that verifies the chain up to it: the receipt pins only what verified.
        var inspection = await ledger.InspectAsync([id], ct);
        if (inspection.Verification.FirstBroken is { } broken)
        {
            throw PortalProblemException.Conflict(ConsentLedgerService.FailsVerification,
                $"The consent ledger fails verification at entry {broken.Id}: {broken.Message} A receipt issued now would vouch for a broken history, so none is issued.");
        }

        if (!inspection.Found.TryGetValue(id, out var found)
            || found.Record is not { Action: ConsentActions.LevelChosen, ToLevel: { } level, PolicyVersion: { } policyVersion } entry)
        {
            return null;
        }

        var settings = options.Value;
        var current = TelemetryLevels.IsDefined(level) ? policies.For((TelemetryLevel)level) : null;
        // Purposes come from the policy shown; when the dictionary has changed since, the receipt points to the kept text instead.
        var purposes = current?.Version == policyVersion
            ? current.Purposes.Select((purpose, i) => new ReceiptPurpose(
                purpose, "EXPLICIT", CategoriesFor(current, purpose), i == 0, "Until another level is chosen or CODER_TELEMETRY pins one", false))
            : [new ReceiptPurpose($"As described in the policy text of version {policyVersion}", "EXPLICIT", [], true, "Until another level is chosen or CODER_TELEMETRY pins one", false)];
        var receipt = new ConsentReceipt
        {
            Jurisdiction = settings.Jurisdiction,
            ConsentTimestamp = entry.OccurredAt.ToUnixTimeSeconds(),
            CollectionMethod = CollectionMethods.Describe(entry.CollectionMethod),
            ConsentReceiptId = new Guid(Convert.FromHexString(entry.Hash.AsSpan(0, 32))).ToString(),
            PiiPrincipalId = $"deployment {await deployment.GetDeploymentIdAsync(ct)}",
            PiiControllers = [new ReceiptController(settings.Controller, settings.ControllerContact ?? (endpoint.IsBuiltInCollector ? "the portal's built-in collector (no vendor endpoint configured)" : endpoint.BaseUri().AbsoluteUri), null)],
            PolicyVersion = policyVersion,
            Services = [new ReceiptService($"Product telemetry at level {level}", [.. purposes])],
            Level = level,
            PreviousLevel = entry.FromLevel,
            Actor = new ReceiptActor(entry.ActorId, entry.ActorName, entry.ActorRole),
            LedgerEntry = new ReceiptLedgerEntry(entry.Id, entry.Hash),
            LedgerHead = new ReceiptLedgerEntry(inspection.Verification.Entries, inspection.Verification.HeadHash),
            IssuedAt = time.GetUtcNow().ToUnixTimeSeconds(),
        };
        var signer = key.Signer;
        return new SignedConsentReceipt(receipt, signer.Sign(receipt), signer.PublicKey);
    }

    private static List<string> CategoriesFor(ConsentPolicy policy, string purpose)
    {
        var paths = Core.Dictionary.DataDictionary.Default.Entries.Where(e => e.Purpose == purpose).Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        return [.. policy.Sent.Where(g => g.Fields.Any(f => paths.Contains(f.Path))).Select(g => g.Category)];
    }
}
