using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Endpoints;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Consent;

[Trait("Database", "Both")]
public sealed class ConsentLedgerTests
{
    private static readonly ConsentActor Admin = new("1", "Administrator (admin)", "Admin");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PortalFactory Start(string? coderTelemetry = null, string? dataDirectory = null)
    {
        var portal = new PortalFactory(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = coderTelemetry ?? "" }, dataDirectory);
        portal.CreatePortalClient().Dispose();
        return portal;
    }

    // The portal's database, on whichever provider this run uses, opened outside the portal (as someone with access would).
    private static DbConnection OpenDatabase(PortalFactory portal)
    {
        using var db = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        DbConnection connection = db.Provider == DatabaseProvider.Postgres
            ? new Npgsql.NpgsqlConnection(db.Database.GetConnectionString())
            : new SqliteConnection($"Data Source={Path.Combine(portal.DataDirectory, "portal.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static bool OnPostgres(PortalFactory portal)
    {
        using var db = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        return db.Provider == DatabaseProvider.Postgres;
    }

    private static async Task<List<ConsentRecord>> AllAsync(PortalFactory portal) =>
        [.. (await portal.Services.GetRequiredService<ConsentLedgerService>().ListAsync(new ConsentQuery(PageSize: 500), Ct)).Items.Reverse()];

    [Theory]
    [InlineData("UPDATE consent_ledger SET \"Reason\" = 'rewritten' WHERE \"Id\" = 1")]
    [InlineData("DELETE FROM consent_ledger WHERE \"Id\" = 1")]
    [InlineData("DELETE FROM consent_ledger")]
    [InlineData("UPDATE consent_policies SET \"Text\" = 'rewritten'")]
    [InlineData("DELETE FROM consent_policies")]
    public async Task Database_UpdateOrDeleteOnTheLedger_IsRefused(string sql)
    {
        await using var portal = Start();
        await portal.Services.GetRequiredService<TelemetryLevelService>()
            .ChooseAsync(TelemetryLevel.Lightweight, Admin, CollectionMethods.Web, "test", ct: Ct);
        var before = await AllAsync(portal);

        using (var connection = OpenDatabase(portal))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var ex = Assert.ThrowsAny<DbException>(() => command.ExecuteNonQuery());
            Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await AllAsync(portal));
        Assert.True((await portal.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(Ct)).Valid);
    }

    [Fact]
    public async Task Verify_EntryChangedBehindTheTriggersBack_NamesTheEntryAndTheCheck()
    {
        await using var portal = Start();
        var levels = portal.Services.GetRequiredService<TelemetryLevelService>();
        var decision = await levels.ChooseAsync(TelemetryLevel.Lightweight, Admin, CollectionMethods.Web, "first", ct: Ct);
        await levels.ChooseAsync(TelemetryLevel.Full, Admin, CollectionMethods.Web, "second", ct: Ct);

        using (var connection = OpenDatabase(portal))
        {
            using var command = connection.CreateCommand();
            // Someone with file access drops the guard and rewrites history.
            command.CommandText = OnPostgres(portal)
                ? $"DROP TRIGGER consent_ledger_no_update ON consent_ledger; UPDATE consent_ledger SET \"ToLevel\" = 2 WHERE \"Id\" = {decision.Entry.Id};"
                : $"DROP TRIGGER consent_ledger_no_update; UPDATE consent_ledger SET \"ToLevel\" = 2 WHERE \"Id\" = {decision.Entry.Id};";
            command.ExecuteNonQuery();
        }

        var result = await portal.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(decision.Entry.Id, result.FirstBroken!.Id);
        Assert.Equal(ChainCheck.Hash, result.FirstBroken.Check);
    }

    [Fact]
    public async Task Append_FiftyAtOnce_YieldOneValidChain()
    {
        await using var portal = Start();
        var ledger = portal.Services.GetRequiredService<ConsentLedgerService>();
        var before = (await ledger.VerifyAsync(Ct)).Entries;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => ledger.AppendAsync(
            new ConsentEvent(ConsentActions.LevelChosen, Admin, CollectionMethods.Api, 2, i % 3, $"append {i}"), Ct), Ct)));

        var result = await ledger.VerifyAsync(Ct);
        Assert.True(result.Valid, result.FirstBroken?.Message);
        Assert.Equal(before + 50, result.Entries);
        var all = await AllAsync(portal);
        Assert.Equal(all.Count, all.Select(e => e.PreviousHash).Distinct().Count());
        Assert.Equal(50, all.Count(e => e.Reason.StartsWith("append ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_FirstTime_RecordsTheEffectiveLevelOnceAndCreatesThePrivateKeyInTheDatabase()
    {
        var data = TempDirectory.Create();
        string key;
        await using (var portal = Start(dataDirectory: data))
        {
            var entry = Assert.Single(await AllAsync(portal));
            Assert.Equal(ConsentActions.EffectiveLevelChanged, entry.Action);
            Assert.Null(entry.FromLevel);
            Assert.Equal(2, entry.ToLevel);
            Assert.Equal("system", entry.ActorId);
            portal.Services.GetRequiredService<ConsentReceiptKey>().EnsureCreated();
            key = await StoredKeyAsync(portal);
            Assert.Contains("PRIVATE KEY", key, StringComparison.Ordinal);
        }

        // Kept in the database (every instance signs with it), not in a file of one instance's data directory.
        Assert.False(File.Exists(Path.Combine(data, ConsentReceiptKey.FileName)));
        await using (var again = Start(dataDirectory: data))
        {
            Assert.Single(await AllAsync(again));
            Assert.Equal(key, await StoredKeyAsync(again));
        }
    }

    [Fact]
    public async Task Start_KeyFileFromAnEarlierVersion_IsTakenIntoTheDatabaseSoItsReceiptsStillVerify()
    {
        var data = TempDirectory.Create();
        using var earlier = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(Path.Combine(data, ConsentReceiptKey.FileName), earlier.ExportPkcs8PrivateKeyPem(), Ct);

        await using var portal = Start(dataDirectory: data);
        var signer = portal.Services.GetRequiredService<ConsentReceiptKey>().Signer;

        Assert.Equal(ConsentReceiptSigner.PublicKeyOf(earlier), signer.PublicKey);
        Assert.Equal(earlier.ExportPkcs8PrivateKeyPem(), await StoredKeyAsync(portal));
    }

    private static async Task<string> StoredKeyAsync(PortalFactory portal)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        return await db.PortalKeys.Where(k => k.Name == ConsentReceiptKey.KeyName).Select(k => k.Pem).SingleAsync(Ct);
    }

    [Fact]
    public async Task Start_PinnedThenPinnedAgainThenUnpinned_RecordsOnlyTheChanges()
    {
        var data = TempDirectory.Create();
        await using (var portal = Start("0", data))
        {
            var entries = await AllAsync(portal);
            Assert.Equal([ConsentActions.LevelPinned, ConsentActions.EffectiveLevelChanged], entries.Select(e => e.Action));
            Assert.Equal(0, entries[0].ToLevel);
            // Level 0 without a license falls back to 1, and the ledger says why.
            Assert.Equal(1, entries[1].ToLevel);
            Assert.Contains("license", entries[1].Reason, StringComparison.Ordinal);
        }

        await using (var portal = Start("0", data))
        {
            Assert.Equal(2, (await AllAsync(portal)).Count);
        }

        await using (var portal = Start("", data))
        {
            var entries = await AllAsync(portal);
            Assert.Equal(
                [ConsentActions.LevelPinned, ConsentActions.EffectiveLevelChanged, ConsentActions.LevelUnpinned, ConsentActions.EffectiveLevelChanged],
                entries.Select(e => e.Action));
            Assert.Equal((0, (int?)null), (entries[2].FromLevel!.Value, entries[2].ToLevel));
            Assert.Equal((1, 2), (entries[3].FromLevel!.Value, entries[3].ToLevel!.Value));
            Assert.True((await portal.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(Ct)).Valid);
        }
    }

    [Fact]
    public async Task Choose_Level1_ResolutionFollowsTheLedgerAndKeepsThePolicyText()
    {
        await using var portal = Start();
        var levels = portal.Services.GetRequiredService<TelemetryLevelService>();
        var ledger = portal.Services.GetRequiredService<ConsentLedgerService>();

        var decision = await levels.ChooseAsync(TelemetryLevel.Lightweight, Admin, CollectionMethods.Web, "  less, please  ", ct: Ct);

        var resolution = await levels.ResolveAsync(Ct);
        Assert.Equal((TelemetryLevel.Lightweight, LevelSource.AdminChoice), (resolution.Effective, resolution.Source));
        Assert.Equal((2, 1, "less, please"), (decision.Entry.FromLevel!.Value, decision.Entry.ToLevel!.Value, decision.Entry.Reason));
        var kept = await ledger.GetPolicyTextAsync(decision.Entry.PolicyVersion!, Ct);
        Assert.Equal(ConsentPolicy.VersionOf(kept!.Text), decision.Entry.PolicyVersion);
        var last = (await AllAsync(portal))[^1];
        Assert.Equal((ConsentActions.EffectiveLevelChanged, 2, 1), (last.Action, last.FromLevel!.Value, last.ToLevel!.Value));
    }

    [Fact]
    public async Task Choose_Pinned_IsRefusedAndNothingIsRecorded()
    {
        await using var portal = Start("2");
        var before = await AllAsync(portal);

        var ex = await Assert.ThrowsAsync<PortalProblemException>(() => portal.Services.GetRequiredService<TelemetryLevelService>()
            .ChooseAsync(TelemetryLevel.Lightweight, Admin, CollectionMethods.Web, null, ct: Ct));

        Assert.Equal((ProblemKind.Conflict, "The level is pinned"), (ex.Kind, ex.Title));
        Assert.Contains("CODER_TELEMETRY=2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await AllAsync(portal));
    }

    [Fact]
    public async Task List_Filters_AreAppliedInTheDatabaseWithPaging()
    {
        await using var portal = Start();
        var ledger = portal.Services.GetRequiredService<ConsentLedgerService>();
        for (var i = 0; i < 7; i++)
        {
            await ledger.AppendAsync(new ConsentEvent(ConsentActions.LevelChosen, i % 2 == 0 ? Admin : new ConsentActor("9", "Sam Support (sam)", "Support"),
                CollectionMethods.Api, 2, 1, $"entry {i}"), Ct);
        }

        var page = await ledger.ListAsync(new ConsentQuery(Action: ConsentActions.LevelChosen, Actor: "ADMIN", Page: 2, PageSize: 3), Ct);
        Assert.Equal(4, page.Total);
        Assert.Equal(["entry 0"], page.Items.Select(e => e.Reason));

        Assert.Equal(7, (await ledger.ListAsync(new ConsentQuery(Level: 1), Ct)).Total);
        // Level 2 matches as "from" as well as "to": the start-up entry and every decision away from 2.
        Assert.Equal(8, (await ledger.ListAsync(new ConsentQuery(Level: 2), Ct)).Total);
        Assert.Equal(0, (await ledger.ListAsync(new ConsentQuery(Level: 0), Ct)).Total);
        var now = portal.Time.GetUtcNow().UtcDateTime;
        Assert.Equal(8, (await ledger.ListAsync(new ConsentQuery(From: now.AddMinutes(-1), To: now.AddMinutes(1)), Ct)).Total);
        Assert.Equal(0, (await ledger.ListAsync(new ConsentQuery(From: now.AddMinutes(1)), Ct)).Total);
        var ex = await Assert.ThrowsAsync<PortalProblemException>(() => ledger.ListAsync(new ConsentQuery(Action: "Nope"), Ct));
        Assert.Equal(ProblemKind.Invalid, ex.Kind);
        Assert.Contains("action must be one of", ex.Message, StringComparison.Ordinal);
    }
}
