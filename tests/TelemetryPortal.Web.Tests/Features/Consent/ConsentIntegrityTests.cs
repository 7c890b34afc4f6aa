using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Core.Telemetry;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Consent;

/// <summary>
/// What the ledger shows when someone with the database file works around it: drops the append-only triggers and
/// removes, rewrites (re-sealing every hash after) or edits entries and policy texts, on the real SQLite file.
/// </summary>
public sealed class ConsentIntegrityTests
{
    private const string SupportPassword = "support-password-for-tests";
    private const string CustomerPassword = "customer-password-for-tests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PortalFactory Start(string? dataDirectory = null)
    {
        var portal = new PortalFactory(dataDirectory: dataDirectory);
        portal.CreatePortalClient().Dispose();
        return portal;
    }

    private static async Task<HttpClient> SignedInAsync(PortalFactory portal, string user = "admin", string password = PortalFactory.AdminPassword)
    {
        var client = portal.CreatePortalClient();
        await client.SignInOrFailAsync(user, password);
        return client;
    }

    private static async Task<long> ChooseAsync(HttpClient admin, int level)
    {
        var response = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level, confirm = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("entryId").GetInt64();
    }

    private static async Task<string> ReceiptAsync(HttpClient client, long id)
    {
        var response = await client.GetAsync($"/api/v1/consent/{id}/receipt", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static async Task<HttpResponseMessage> PostReceiptAsync(HttpClient client, string body, string mediaType = "application/json") =>
        await client.PostAsync("/api/v1/consent/receipts/verify", new StringContent(body, Encoding.UTF8, mediaType), Ct);

    private static async Task<JsonElement> CheckReceiptAsync(HttpClient client, string body, string mediaType = "application/json")
    {
        var response = await PostReceiptAsync(client, body, mediaType);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static Dictionary<string, (bool Ok, string Detail)> Checks(JsonElement result) =>
        result.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("ok").GetBoolean(), c.GetProperty("detail").GetString()!));

    private static void Sql(PortalFactory portal, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(portal.DataDirectory, "portal.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string DropTriggers() => string.Concat(ConsentLedgerSql.DropStatements());

    private static async Task<List<ConsentRecord>> LedgerAsync(PortalFactory portal) =>
        [.. (await portal.Services.GetRequiredService<ConsentLedgerService>().ListAsync(new ConsentQuery(PageSize: 500), Ct)).Items.Reverse()];

    /// <summary>Changes entry <paramref name="id"/> and re-seals it and every entry after it, so the chain alone verifies.</summary>
    private static async Task RewriteAndResealAsync(PortalFactory portal, long id, Func<ConsentRecord, ConsentRecord> change)
    {
        var records = await LedgerAsync(portal);
        var statements = new StringBuilder(DropTriggers());
        var previous = records.Single(r => r.Id == id - 1).Hash;
        foreach (var record in records.Where(r => r.Id >= id))
        {
            var resealed = ConsentChain.Seal((record.Id == id ? change(record) : record) with { PreviousHash = previous });
            previous = resealed.Hash;
            statements.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"UPDATE consent_ledger SET ToLevel = {resealed.ToLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "NULL"}, Reason = '{resealed.Reason.Replace("'", "''", StringComparison.Ordinal)}', PreviousHash = '{resealed.PreviousHash}', Hash = '{resealed.Hash}' WHERE Id = {resealed.Id};");
        }

        Sql(portal, statements.ToString());
    }

    [Fact]
    public async Task ReceiptCheck_NewestEntriesDeletedAfterTheReceipt_HeadCheckFailsWhileTheChainAloneVerifies()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        var first = await ChooseAsync(admin, 1);          // entries 2 (decision) and 3 (effective level)
        var before = await ReceiptAsync(admin, first);    // head 3
        var second = await ChooseAsync(admin, 2);         // entries 4 and 5
        var after = await ReceiptAsync(admin, second);    // head 5
        Assert.Equal(5, JsonNode.Parse(after)!["receipt"]!["ledgerHead"]!["id"]!.GetValue<long>());
        Assert.True((await CheckReceiptAsync(admin, after)).GetProperty("valid").GetBoolean());

        Sql(portal, DropTriggers() + "DELETE FROM consent_ledger WHERE Id >= 5;");

        // The chain alone cannot see a shorter tail...
        var verification = await admin.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", Ct);
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(4, verification.GetProperty("entries").GetInt64());
        // ...but the receipt issued at head 5 can.
        var result = await CheckReceiptAsync(admin, after);
        Assert.False(result.GetProperty("valid").GetBoolean());
        var checks = Checks(result);
        Assert.True(checks["signature"].Ok);
        Assert.True(checks["entry"].Ok);
        Assert.False(checks["head"].Ok);
        Assert.Contains("entry 5, is no longer in the ledger (the ledger now ends at entry 4)", checks["head"].Detail, StringComparison.Ordinal);
        Assert.Equal(4, result.GetProperty("currentHead").GetProperty("id").GetInt64());
        // A receipt whose head came before the deletion still holds: nothing it vouches for changed.
        Assert.True((await CheckReceiptAsync(admin, before)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task ReceiptCheck_EntryRewrittenAndEveryHashAfterResealed_CaughtByAReceiptIssuedBefore()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        var first = await ChooseAsync(admin, 1);            // 2, 3
        var second = await ChooseAsync(admin, 2);           // 4, 5
        var earlier = await ReceiptAsync(admin, first);     // entry 2, head 5
        var rewritten = await ReceiptAsync(admin, second);  // entry 4, head 5

        await RewriteAndResealAsync(portal, second, r => r with { ToLevel = 0, Reason = "the admin chose to stop telemetry" });

        var verification = await admin.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", Ct);
        Assert.True(verification.GetProperty("valid").GetBoolean());
        // The receipt of the rewritten decision: its own entry no longer matches.
        var own = Checks(await CheckReceiptAsync(admin, rewritten));
        Assert.False(own["entry"].Ok);
        Assert.Contains("entry 4, has the hash", own["entry"].Detail, StringComparison.Ordinal);
        // A receipt of an earlier decision pins the head after it, so the rewrite shows there.
        var result = await CheckReceiptAsync(admin, earlier);
        Assert.False(result.GetProperty("valid").GetBoolean());
        var checks = Checks(result);
        Assert.True(checks["entry"].Ok);
        Assert.False(checks["head"].Ok);
        Assert.Contains("entry 5, has the hash", checks["head"].Detail, StringComparison.Ordinal);
        Assert.True(checks["chain"].Ok);
    }

    [Fact]
    public async Task Verify_PolicyTextEdited_NamesTheVersionAndTheTextIsNotServed()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        var id = await ChooseAsync(admin, 1);
        var version = (await LedgerAsync(portal)).Single(r => r.Id == id).PolicyVersion!;
        var receipt = await ReceiptAsync(admin, id);

        Sql(portal, DropTriggers() + $"UPDATE consent_policies SET Text = replace(Text, 'masked', 'kept') WHERE Version = '{version}';");

        var verification = await admin.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", Ct);
        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, verification.GetProperty("firstBroken").ValueKind);
        Assert.Equal(version, verification.GetProperty("policyMismatch").GetProperty("version").GetString());
        Assert.Contains("changed after it was recorded", verification.GetProperty("policyMismatch").GetProperty("message").GetString(), StringComparison.Ordinal);

        var text = await admin.GetAsync($"/api/v1/consent/policies/{version}", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, text.StatusCode);
        var body = await text.Content.ReadAsStringAsync(Ct);
        Assert.Equal("The kept policy text does not match its version", JsonNode.Parse(body)!["title"]!.GetValue<string>());
        Assert.DoesNotContain("What is sent", body, StringComparison.Ordinal);
        Assert.False(Checks(await CheckReceiptAsync(admin, receipt))["policyText"].Ok);
        var page = await admin.GetStringAsync("/consent", Ct);
        Assert.Contains("data-testid=\"policy-status\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"check-receipt-action\"", page, StringComparison.Ordinal);
        Assert.Contains($"version {version} was changed after it was recorded", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AppendOnlyTriggersDropped_AreRecreatedAndTheRestoreIsRecorded()
    {
        var data = TempDirectory.Create();
        await using (var portal = Start(data))
        {
            await portal.Services.GetRequiredService<TelemetryLevelService>()
                .ChooseAsync(TelemetryLevel.Lightweight, new ConsentActor("1", "Administrator (admin)", "Admin"), CollectionMethods.Web, null, ct: Ct);
            Sql(portal, DropTriggers() + $"""CREATE TRIGGER "{ConsentLedgerSql.TriggerName(ConsentLedgerSql.PolicyTable, "UPDATE")}" BEFORE UPDATE ON "{ConsentLedgerSql.PolicyTable}" WHEN 0 BEGIN SELECT 1; END;""");
        }

        await using (var portal = Start(data))
        {
            var names = new List<string>();
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "portal.db")};Pooling=False"))
            {
                connection.Open();
                using var query = connection.CreateCommand();
                query.CommandText = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name";
                using (var reader = query.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        names.Add(reader.GetString(0));
                    }
                }

                using var update = connection.CreateCommand();
                update.CommandText = "UPDATE consent_policies SET Text = 'rewritten'";
                Assert.Contains("append-only", Assert.Throws<SqliteException>(() => update.ExecuteNonQuery()).Message, StringComparison.Ordinal);
            }

            Assert.Equal(ConsentLedgerSql.Triggers.Select(t => t.Name).Order(StringComparer.Ordinal), names);
            var last = (await LedgerAsync(portal))[^1];
            Assert.Equal((ConsentActions.ProtectionRestored, "system"), (last.Action, last.ActorId));
            Assert.Contains("consent_ledger_no_update, consent_ledger_no_delete, consent_policies_no_delete were missing and consent_policies_no_update was altered", last.Reason, StringComparison.Ordinal);
            Assert.True((await portal.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(Ct)).Valid);
        }

        // Nothing to restore the next time: nothing is recorded.
        await using (var portal = Start(data))
        {
            Assert.Single(await LedgerAsync(portal), r => r.Action == ConsentActions.ProtectionRestored);
        }
    }

    [Fact]
    public async Task Start_DecisionToLevelTampered_LevelComesFromTheIntactPartAndStaffAreWarned()
    {
        var data = TempDirectory.Create();
        await using (var portal = Start(data))
        {
            using var admin = await SignedInAsync(portal);
            await ChooseAsync(admin, 1);                 // 2, 3
            var again = await ChooseAsync(admin, 1);     // 4 (the level in force does not change)
            Assert.Equal(4, again);
            // Someone with the file "upgrades" the latest decision to full telemetry.
            Sql(portal, DropTriggers() + "UPDATE consent_ledger SET ToLevel = 2 WHERE Id = 4;");
        }

        await using (var portal = Start(data))
        {
            var accounts = portal.Services.GetRequiredService<AccountService>();
            await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword, Ct);
            await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, CustomerPassword, Ct);
            using var admin = await SignedInAsync(portal);

            var level = await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct);
            Assert.Equal(1, level.GetProperty("effective").GetInt32());
            Assert.Equal("AdminChoice", level.GetProperty("source").GetString());
            Assert.Equal(4, level.GetProperty("ledgerBrokenAt").GetInt64());
            Assert.StartsWith("The consent ledger fails verification at entry 4, so decisions recorded from there on are not trusted", level.GetProperty("reason").GetString(), StringComparison.Ordinal);

            var dashboard = await admin.GetStringAsync("/", Ct);
            Assert.Contains("aria-label=\"Effective level 1\"", dashboard, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"ledger-broken\"", dashboard, StringComparison.Ordinal);
            Assert.Contains("The consent ledger fails verification at entry 4", dashboard, StringComparison.Ordinal);
            Assert.Contains("href=\"/consent\"", dashboard, StringComparison.Ordinal);
            using (var support = await SignedInAsync(portal, "sam", SupportPassword))
            {
                Assert.Contains("data-testid=\"ledger-broken\"", await support.GetStringAsync("/", Ct), StringComparison.Ordinal);
            }

            using (var customer = await SignedInAsync(portal, "cora", CustomerPassword))
            {
                Assert.DoesNotContain("data-testid=\"ledger-broken\"", await customer.GetStringAsync("/", Ct), StringComparison.Ordinal);
            }

            // A new decision would land after the break and not be trusted: refused, and no receipt vouches for the broken history.
            var choose = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 2, confirm = true }, Ct);
            Assert.Equal(HttpStatusCode.Conflict, choose.StatusCode);
            Assert.Contains("fails verification at entry 4", (await choose.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Conflict, (await admin.GetAsync("/api/v1/consent/2/receipt", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Resolve_LedgerTamperedWhileRunning_IsTrustedAtMostUntilTheKeptVerificationExpires()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        await ChooseAsync(admin, 1);
        await ChooseAsync(admin, 1);
        Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct)).GetProperty("effective").GetInt32());

        Sql(portal, DropTriggers() + "UPDATE consent_ledger SET ToLevel = 2 WHERE Id = 4;");
        // Resolving does not walk the chain each time: the last verification is reused for a while.
        Assert.Equal(JsonValueKind.Null, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct)).GetProperty("ledgerBrokenAt").ValueKind);
        portal.Time.Advance(ConsentLedgerService.VerificationLifetime);

        var level = await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct);
        Assert.Equal((1, 4L), (level.GetProperty("effective").GetInt32(), level.GetProperty("ledgerBrokenAt").GetInt64()));
    }

    [Fact]
    public async Task ReceiptCheck_GoodReceipt_IsValidAsJsonAsAJsonStringAndAsABareJws()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        var id = await ChooseAsync(admin, 1);
        var receipt = await ReceiptAsync(admin, id);
        var jws = JsonNode.Parse(receipt)!["jws"]!.GetValue<string>();
        await portal.Services.GetRequiredService<AccountService>().CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword, Ct);
        using var support = await SignedInAsync(portal, "sam", SupportPassword);

        var json = await CheckReceiptAsync(support, receipt);
        var quoted = await CheckReceiptAsync(support, JsonSerializer.Serialize(jws));
        var bare = await CheckReceiptAsync(support, jws, "text/plain");

        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(["signature", "readableCopy", "entry", "head", "chain", "policyText"], Checks(json).Keys);
        Assert.All(Checks(json).Values, c => Assert.True(c.Ok, c.Detail));
        Assert.Equal((id, 3L), (json.GetProperty("entry").GetProperty("id").GetInt64(), json.GetProperty("recordedHead").GetProperty("id").GetInt64()));
        Assert.Equal(JsonNode.Parse(receipt)!["publicKey"]!["kid"]!.GetValue<string>(), json.GetProperty("keyId").GetString());
        Assert.True(quoted.GetProperty("valid").GetBoolean());
        Assert.True(bare.GetProperty("valid").GetBoolean());
        Assert.Equal(["signature", "entry", "head", "chain", "policyText"], Checks(bare).Keys);
    }

    [Fact]
    public async Task ReceiptCheck_SignedWithAnotherKey_IsRefusedSayingSo()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        var receipt = await ReceiptAsync(admin, await ChooseAsync(admin, 1));
        Assert.True(ConsentReceiptSigner.TryDecode(JsonNode.Parse(receipt)!["jws"]!.GetValue<string>(), out var decoded, out var error), error);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stranger = new ConsentReceiptSigner(strangerKey);
        // The same receipt, re-signed by someone else and carrying their key, as a forger would present it.
        var forged = JsonSerializer.Serialize(new SignedConsentReceipt(decoded.Receipt, stranger.Sign(decoded.Receipt), stranger.PublicKey));

        var result = await CheckReceiptAsync(admin, forged);

        Assert.False(result.GetProperty("valid").GetBoolean());
        var check = Assert.Single(Checks(result));
        Assert.Equal("signature", check.Key);
        Assert.False(check.Value.Ok);
        Assert.Contains($"signed with key {stranger.PublicKey.Kid}, not with this portal's receipt key", check.Value.Detail, StringComparison.Ordinal);
        Assert.Contains("this portal did not issue it", check.Value.Detail, StringComparison.Ordinal);
        Assert.Equal(stranger.PublicKey.Kid, result.GetProperty("keyId").GetString());
    }

    [Fact]
    public async Task ReceiptCheck_PayloadOrReadableCopyChanged_NamesWhatFailed()
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);
        var receipt = JsonNode.Parse(await ReceiptAsync(admin, await ChooseAsync(admin, 1)))!;
        var parts = receipt["jws"]!.GetValue<string>().Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"level\":1", "\"level\":2", StringComparison.Ordinal);
        var forgedJws = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var forged = await CheckReceiptAsync(admin, forgedJws, "text/plain");
        var edited = receipt.DeepClone();
        edited["receipt"]!["level"] = 2;
        var readable = await CheckReceiptAsync(admin, edited.ToJsonString());

        Assert.False(forged.GetProperty("valid").GetBoolean());
        Assert.Contains("signature does not match", Checks(forged)["signature"].Detail, StringComparison.Ordinal);
        Assert.False(readable.GetProperty("valid").GetBoolean());
        Assert.True(Checks(readable)["signature"].Ok);
        Assert.False(Checks(readable)["readableCopy"].Ok);
    }

    [Theory]
    [InlineData("", "The receipt is empty")]
    [InlineData("{not json", "The receipt is not valid JSON")]
    [InlineData("""{"receipt":{}}""", "The receipt JSON has no \"jws\" string")]
    [InlineData("not a receipt", "jws: A receipt signature must have three parts")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.", "jws: The signature's algorithm must be ES256; got none")]
    public async Task ReceiptCheck_Malformed_Is400NamingTheProblem(string body, string expected)
    {
        await using var portal = Start();
        using var admin = await SignedInAsync(portal);

        var response = await PostReceiptAsync(admin, body, body.StartsWith('{') ? "application/json" : "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Not a consent receipt", problem.GetProperty("title").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiptCheck_Customer_Is403()
    {
        await using var portal = Start();
        await portal.Services.GetRequiredService<AccountService>().CreateAsync("cora", "Cora Customer", PortalRoles.Customer, CustomerPassword, Ct);
        using var customer = await SignedInAsync(portal, "cora", CustomerPassword);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostReceiptAsync(customer, "a.b.c", "text/plain")).StatusCode);
    }
}
