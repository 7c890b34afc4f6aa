using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>
/// The consent promise under timing and concurrency: what is still queued when the level drops never leaves
/// above the level in force, and concurrent decisions leave a ledger whose entries agree with each other.
/// Real SQLite, real Kestrel, a real receiver on loopback.
/// </summary>
public sealed class ConsentHoldsTests : PipelineTestBase
{
    private static readonly ConsentActor s_admin = new("1", "Administrator (admin)", "Admin");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The vendor is down while a level-2 report waits; the admin lowers the level; the vendor comes back.</summary>
    private async Task<PortalFactory> QueueLevel2ThenLowerAsync(TelemetryLevel lowered)
    {
        var portal = CreatePortal(zeroTelemetryLicense: lowered == TelemetryLevel.Off);
        portal.StartOnKestrel();
        Receiver.Respond = _ => 500;
        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(Ct);
        await Eventually.WaitUntilAsync(async () =>
        {
            var payloads = await PayloadsAsync(portal);
            return payloads.Count == 2 && payloads.All(p => p.Level == 2 && p.Status == PayloadStatus.Retrying);
        }, "two level-2 payloads failing");
        Assert.Contains(Receiver.Requests, r => Email().IsMatch(Encoding.UTF8.GetString(r.Body)));

        await portal.Services.GetRequiredService<TelemetryLevelService>().ChooseAsync(lowered, s_admin, CollectionMethods.Web, "Lower it", ct: Ct);
        Receiver.Respond = _ => 202;
        return portal;
    }

    [Fact]
    public async Task QueuedLevel2Payloads_LevelLoweredTo1_LeaveRedactedAgainAndTheOriginalsSaySuperseded()
    {
        await using var portal = await QueueLevel2ThenLowerAsync(TelemetryLevel.Lightweight);
        portal.Services.GetRequiredService<OutboxSignal>().Notify();

        await Eventually.WaitUntilAsync(async () => (await PayloadsAsync(portal)).Count(p => p.Status == PayloadStatus.Sent) == 2, "the replacements sent");

        var accepted = Receiver.Requests.Where(r => r.Answer == 202).ToList();
        Assert.Equal(2, accepted.Count);
        Assert.All(accepted, r => Assert.DoesNotMatch(Email(), Encoding.UTF8.GetString(r.Body)));
        var payloads = await PayloadsAsync(portal);
        var originals = payloads.Where(p => p.Level == 2).ToList();
        Assert.All(originals, p => Assert.Equal(PayloadStatus.Superseded, p.Status));
        Assert.All(originals, p => Assert.Contains(payloads, r => r.Id == p.SupersededById && r.Level == 1 && r.Status == PayloadStatus.Sent && r.Kind == p.Kind));
        Assert.Equal(
            accepted.Select(r => r.IdempotencyKey).Order(),
            payloads.Where(p => p.Status == PayloadStatus.Sent).Select(p => p.IdempotencyKey.ToString()).Order());
    }

    [Fact]
    public async Task QueuedLevel2Payloads_LevelLoweredTo0_NothingEverLeavesAgain()
    {
        await using var portal = await QueueLevel2ThenLowerAsync(TelemetryLevel.Off);
        var sender = portal.Services.GetRequiredService<OutboxSender>();

        // Whatever is due now is handled by the sender's own rules (not only the level change's clean-up).
        await sender.SendDueAsync(Ct);
        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(Ct);
        await sender.SendDueAsync(Ct);

        Assert.DoesNotContain(Receiver.Requests, r => r.Answer == 202);
        var payloads = await PayloadsAsync(portal);
        Assert.All(payloads, p => Assert.Equal(PayloadStatus.Suppressed, p.Status));
        Assert.Equal(2, payloads.Count(p => p.Level == 2));
    }

    [Fact]
    public async Task SenderChecksTheLevelAtTheMomentOfSending_EvenWhenTheQueueWasNotCleanedUp()
    {
        // Failed sends wait ten minutes, so no send is in flight when the decision lands.
        await using var portal = CreatePortal(new Dictionary<string, string?> { ["Telemetry:RetryBaseDelay"] = "00:10:00", ["Telemetry:RetryMaxDelay"] = "00:20:00" });
        portal.StartOnKestrel();
        Receiver.Respond = _ => 500;
        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(Ct);
        await Eventually.WaitUntilAsync(async () =>
        {
            var payloads = await PayloadsAsync(portal);
            return payloads.Count == 2 && payloads.All(p => p.Status == PayloadStatus.Retrying);
        }, "payloads failing");
        // The decision is written straight into the ledger, as another instance of the portal would: this process's
        // level change never ran its clean-up of the queue.
        await portal.Services.GetRequiredService<ConsentLedgerService>().AppendAsync(
            new ConsentEvent(ConsentActions.LevelChosen, s_admin, CollectionMethods.Api, 2, 1, "From elsewhere"), Ct);
        Receiver.Respond = _ => 202;
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Payloads.ExecuteUpdateAsync(u => u.SetProperty(p => p.NextAttemptAt, DateTime.UtcNow.AddSeconds(-1)), Ct);
        }

        await portal.Services.GetRequiredService<OutboxSender>().SendDueAsync(Ct);
        await Eventually.WaitUntilAsync(async () => (await PayloadsAsync(portal)).Count(p => p.Status == PayloadStatus.Sent) == 2, "replacements sent");

        Assert.All(Receiver.Requests.Where(r => r.Answer == 202), r => Assert.DoesNotMatch(Email(), Encoding.UTF8.GetString(r.Body)));
    }

    [Fact]
    public async Task ConcurrentLevelDecisions_EveryLedgerEntryAgreesWithTheOneBeforeIt()
    {
        await using var portal = CreatePortal(zeroTelemetryLicense: true);
        portal.StartOnKestrel();
        var levels = portal.Services.GetRequiredService<TelemetryLevelService>();
        var random = new Random(7);
        var choices = Enumerable.Range(0, 200).Select(_ => (TelemetryLevel)random.Next(0, 3)).ToList();

        await Task.WhenAll(choices.Select(level => Task.Run(() => levels.ChooseAsync(level, s_admin, CollectionMethods.Api, "Concurrent", ct: Ct), Ct)));

        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        var entries = await db.ConsentLedger.AsNoTracking().OrderBy(e => e.Id).ToListAsync(Ct);
        var decisions = entries.Where(e => e.Action == ConsentActions.LevelChosen).ToList();
        Assert.Equal(200, decisions.Count);
        int? requested = null;
        int? effective = null;
        ConsentEntry? previous = null;
        foreach (var entry in entries)
        {
            switch (entry.Action)
            {
                case ConsentActions.LevelChosen:
                    if (requested is not null)
                    {
                        Assert.True(entry.FromLevel == requested, $"Entry {entry.Id} says from {entry.FromLevel}, but the level asked for was {requested}.");
                    }

                    requested = entry.ToLevel;
                    break;
                case ConsentActions.EffectiveLevelChanged:
                    Assert.True(entry.FromLevel == effective, $"Entry {entry.Id} says the effective level was {entry.FromLevel}, but it was {effective}.");
                    if (previous?.Action == ConsentActions.LevelChosen)
                    {
                        // With a zero-telemetry license and nothing pinned, the effective level is the one chosen.
                        Assert.True(entry.ToLevel == previous.ToLevel, $"Entry {entry.Id} makes {entry.ToLevel} effective right after a decision for {previous.ToLevel}.");
                    }

                    effective = entry.ToLevel;
                    break;
            }

            previous = entry;
        }

        // Every decision that changed the effective level is followed by that change, and only those.
        var changes = entries.Count(e => e.Action == ConsentActions.EffectiveLevelChanged && e.Id > decisions[0].Id);
        var expected = 0;
        var current = entries.Last(e => e.Action == ConsentActions.EffectiveLevelChanged && e.Id < decisions[0].Id).ToLevel;
        foreach (var decision in decisions)
        {
            if (decision.ToLevel != current)
            {
                expected++;
                current = decision.ToLevel;
            }
        }

        Assert.Equal(expected, changes);
        Assert.Equal((int)(await levels.ResolveAsync(Ct)).Effective, effective);
        Assert.True((await portal.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(Ct)).Valid);
    }

    [Fact]
    public async Task LedgerWriteFails_TheEffectIsNotStoredEither()
    {
        await using var portal = CreatePortal();
        portal.StartOnKestrel();
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var levels = portal.Services.GetRequiredService<TelemetryLevelService>();
        var licenses = portal.Services.GetRequiredService<LicenseService>();
        var deployment = await portal.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync(Ct);
        var request = await licenses.RequestAsync(new("Initech", "Cora Customer", "cora@initech.example", deployment, "Our regulator forbids telemetry here.", 90), s_admin, ct: Ct);
        var before = await levels.ResolveAsync(Ct);

        // The fault: every write to the ledger fails from here on, as a full disk or a crash at that moment would.
        await using (var db = await factory.CreateDbContextAsync(Ct))
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER test_fault BEFORE INSERT ON consent_ledger BEGIN SELECT RAISE(ABORT, 'injected fault'); END;", Ct);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => levels.ChooseAsync(TelemetryLevel.Lightweight, s_admin, CollectionMethods.Web, "Lower", ct: Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => licenses.ApproveAsync(request.Id, 30, s_admin, ct: Ct));
        var issuer = portal.Services.GetRequiredService<LicenseKeyring>().Issuer!;
        var now = DateTimeOffset.UtcNow;
        var token = issuer.Issue(new Core.Licensing.ZeroTelemetryLicense(
            Guid.NewGuid(), "Initech", [deployment], [Core.Licensing.ZeroTelemetryLicense.ZeroTelemetryFeature], now, now, now.AddDays(30), issuer.KeyId));
        await Assert.ThrowsAnyAsync<Exception>(() => licenses.ApplyAsync(token, s_admin, ct: Ct));

        await using (var db = await factory.CreateDbContextAsync(Ct))
        {
            Assert.Equal(before.Effective, (await levels.ResolveAsync(Ct)).Effective);
            Assert.Empty(await db.AppliedLicenses.ToListAsync(Ct));
            Assert.Equal(LicenseRequestStatus.Pending, (await db.LicenseRequests.SingleAsync(Ct)).Status);
            Assert.DoesNotContain(await db.ConsentLedger.ToListAsync(Ct), e => e.Action is ConsentActions.LevelChosen or ConsentActions.LicenseApproved or ConsentActions.LicenseApplied);
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER test_fault;", Ct);
        }

        // With the fault gone, the same steps land with their records.
        await levels.ChooseAsync(TelemetryLevel.Lightweight, s_admin, CollectionMethods.Web, "Lower", ct: Ct);
        await licenses.ApproveAsync(request.Id, 30, s_admin, ct: Ct);
        await using (var db = await factory.CreateDbContextAsync(Ct))
        {
            Assert.Single(await db.AppliedLicenses.ToListAsync(Ct));
            var actions = await db.ConsentLedger.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct);
            Assert.Contains(ConsentActions.LicenseApplied, actions);
            Assert.Contains(ConsentActions.LevelChosen, actions);
        }
    }
}
