using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Data;

/// <summary>The consent tables' append-only protection as PostgreSQL has it: triggers calling one function, put back at start when tampered with.</summary>
[Trait("Database", "Postgres")]
public sealed class PostgresLedgerProtectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PortalFactory Start(string data, string connection)
    {
        var portal = new PortalFactory(new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Portal"] = connection }, data);
        portal.CreatePortalClient().Dispose();
        return portal;
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var open = new NpgsqlConnection(connection);
        await open.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Theory]
    [InlineData("UPDATE consent_ledger SET \"Reason\" = 'rewritten'")]
    [InlineData("DELETE FROM consent_ledger")]
    [InlineData("TRUNCATE consent_ledger")]
    [InlineData("UPDATE consent_policies SET \"Text\" = 'rewritten'")]
    [InlineData("TRUNCATE consent_policies CASCADE")]
    public async Task Database_ChangingTheLedger_IsRefusedByTheTriggers(string sql)
    {
        var connection = TestDatabases.CreatePostgres();
        await using var portal = Start(TempDirectory.Create(), connection);
        await portal.Services.GetRequiredService<TelemetryLevelService>()
            .ChooseAsync(TelemetryPortal.Core.Telemetry.TelemetryLevel.Lightweight, new ConsentActor("1", "Administrator (admin)", "Admin"), CollectionMethods.Web, "test", ct: Ct);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));

        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.True((await portal.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(Ct)).Valid);
    }

    [Fact]
    public async Task Start_TriggerDisabledAnotherDroppedAndTheFunctionEmptied_AllPutBackAndRecorded()
    {
        var connection = TestDatabases.CreatePostgres();
        var data = TempDirectory.Create();
        await using (var first = Start(data, connection))
        {
            // A decision, so that the policy table has a row for DELETE to meet.
            await first.Services.GetRequiredService<TelemetryLevelService>()
                .ChooseAsync(TelemetryPortal.Core.Telemetry.TelemetryLevel.Lightweight, new ConsentActor("1", "Administrator (admin)", "Admin"), CollectionMethods.Web, "test", ct: Ct);
        }

        // Someone with database access, while the portal is down.
        await ExecuteAsync(connection, """
            ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_no_update;
            DROP TRIGGER consent_policies_no_delete ON consent_policies;
            CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
            """);

        await using var portal = Start(data, connection);

        var ledger = portal.Services.GetRequiredService<ConsentLedgerService>();
        var restored = (await ledger.ListAsync(new ConsentQuery(Action: ConsentActions.ProtectionRestored), Ct)).Items;
        var entry = Assert.Single(restored);
        Assert.Contains("consent_policies_no_delete was missing", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("consent_ledger_no_update", entry.Reason, StringComparison.Ordinal);
        foreach (var sql in new[] { "UPDATE consent_ledger SET \"Reason\" = 'x'", "DELETE FROM consent_policies", "DELETE FROM consent_ledger", "TRUNCATE consent_policies CASCADE" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }

        // Nothing more to put back at the next start.
        await using var again = Start(data, connection);
        Assert.Single((await again.Services.GetRequiredService<ConsentLedgerService>().ListAsync(new ConsentQuery(Action: ConsentActions.ProtectionRestored), Ct)).Items);
    }

    [Fact]
    public async Task Keys_ReceiptKeyConfigured_SignsWithItAndKeepsNoneInTheDatabase()
    {
        using var configured = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var connection = TestDatabases.CreatePostgres();
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Portal"] = connection,
            ["Consent:ReceiptSigningKey"] = configured.ExportPkcs8PrivateKeyPem(),
        });
        portal.CreatePortalClient().Dispose();

        var signer = portal.Services.GetRequiredService<ConsentReceiptKey>().Signer;

        Assert.Equal(ConsentReceiptSigner.PublicKeyOf(configured), signer.PublicKey);
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);
        Assert.False(await db.PortalKeys.AnyAsync(k => k.Name == ConsentReceiptKey.KeyName, Ct));
    }
}
