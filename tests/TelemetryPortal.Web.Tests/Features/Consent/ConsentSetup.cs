using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Consent;

/// <summary>
/// Component tests of the consent pages on the portal's real registrations (<see cref="PortalComponentTestContext.UsePortalServices"/>)
/// over a SQLite file of their own, with a signed-in user, and the consent services they read and change.
/// </summary>
public abstract class ConsentSetup : PortalComponentTestContext
{
    /// <summary>The admin who decides in <see cref="ChooseAsync"/>.</summary>
    protected static readonly ConsentActor Admin = new("1", "Administrator (admin)", "Admin");

    private readonly string _data = TempDirectory.Create();

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    protected ConsentLedgerService Ledger => Services.GetRequiredService<ConsentLedgerService>();

    protected TelemetryLevelService Levels => Services.GetRequiredService<TelemetryLevelService>();

    protected ConsentPolicies Policies => Services.GetRequiredService<ConsentPolicies>();

    protected ConsentReceiptKey ReceiptKey => Services.GetRequiredService<ConsentReceiptKey>();

    /// <summary>
    /// The portal's services, with <c>CODER_TELEMETRY</c> set to <paramref name="coderTelemetry"/> (empty: not pinned),
    /// and <paramref name="userName"/> signed in with <paramref name="role"/>.
    /// </summary>
    protected void UseConsent(string role, string userName, string coderTelemetry = "")
    {
        UsePortalServices(_data, new Dictionary<string, string?> { ["CODER_TELEMETRY"] = coderTelemetry });
        SignInAs(role, userName);
    }

    /// <summary>The admin chooses <paramref name="level"/> through the service, as the level page does.</summary>
    protected Task<LevelDecision> ChooseAsync(TelemetryLevel level) =>
        Levels.ChooseAsync(level, Admin, CollectionMethods.Web, null, ct: Ct);

    /// <summary>The level decisions in the ledger, newest first.</summary>
    protected async Task<ConsentPage> DecisionsAsync() =>
        await Ledger.ListAsync(new ConsentQuery(Action: ConsentActions.LevelChosen), Ct);

    /// <summary>Signs a receipt of <paramref name="decision"/> with <paramref name="signer"/> (the portal's own key when null).</summary>
    protected async Task<string> ReceiptJwsAsync(LevelDecision decision, ConsentReceiptSigner? signer = null)
    {
        var head = await Ledger.VerifyAsync(Ct);
        var receipt = new ConsentReceipt
        {
            Jurisdiction = "EU (GDPR)",
            ConsentTimestamp = decision.Entry.OccurredAt.ToUnixTimeSeconds(),
            CollectionMethod = "test",
            ConsentReceiptId = Guid.NewGuid().ToString(),
            PiiPrincipalId = "deployment test",
            PiiControllers = [new ReceiptController("vendor", "contact", null)],
            PolicyVersion = decision.Entry.PolicyVersion!,
            Services = [],
            Level = decision.Entry.ToLevel!.Value,
            Actor = new ReceiptActor(Admin.Id, Admin.Name, Admin.Role),
            LedgerEntry = new ReceiptLedgerEntry(decision.Entry.Id, decision.Entry.Hash),
            LedgerHead = new ReceiptLedgerEntry(head.Entries, head.HeadHash),
            IssuedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        return (signer ?? ReceiptKey.Signer).Sign(receipt);
    }
}
