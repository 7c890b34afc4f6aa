using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Consent;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Consent;

[Trait("Database", "Both")]
public sealed class ConsentApiTests : IAsyncLifetime
{
    private const string SupportPassword = "support-password-for-tests";
    private const string CustomerPassword = "customer-password-for-tests";

    private readonly PortalFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory.CreatePortalClient().Dispose();
        var accounts = _factory.Services.GetRequiredService<AccountService>();
        await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, SupportPassword, Ct);
        await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, CustomerPassword, Ct);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<HttpClient> SignedInAsync(string user = "admin", string password = PortalFactory.AdminPassword)
    {
        var client = _factory.CreatePortalClient();
        await client.SignInOrFailAsync(user, password);
        return client;
    }

    [Fact]
    public async Task PutLevel_Confirmed_RecordsTheDecisionAndTheLevelFollows()
    {
        using var admin = await SignedInAsync();

        var response = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true, reason = "Fewer personal data" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, body.GetProperty("level").GetProperty("effective").GetInt32());
        Assert.Equal("AdminChoice", body.GetProperty("level").GetProperty("source").GetString());
        var level = await admin.GetFromJsonAsync<JsonElement>("/api/v1/telemetry/level", Ct);
        Assert.Equal(1, level.GetProperty("effective").GetInt32());

        var ledger = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/consent?action={ConsentActions.LevelChosen}", Ct);
        var entry = Assert.Single(ledger.GetProperty("items").EnumerateArray());
        Assert.Equal(body.GetProperty("entryId").GetInt64(), entry.GetProperty("id").GetInt64());
        Assert.Equal("Administrator (admin)", entry.GetProperty("actorName").GetString());
        Assert.Equal("Api", entry.GetProperty("collectionMethod").GetString());
        Assert.Equal(body.GetProperty("policyVersion").GetString(), entry.GetProperty("policyVersion").GetString());
    }

    [Theory]
    [InlineData("""{"level":1}""", "confirm must be true")]
    [InlineData("""{"level":1,"confirm":false}""", "confirm must be true")]
    [InlineData("""{"level":3,"confirm":true}""", "level must be 0, 1 or 2; got 3")]
    [InlineData("""{"confirm":true}""", "level must be 0, 1 or 2; got nothing")]
    public async Task PutLevel_NotConfirmedOrInvalid_Is400NamingTheField(string json, string expected)
    {
        using var admin = await SignedInAsync();

        var response = await admin.PutAsync("/api/v1/telemetry/level", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var ledger = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/consent?action={ConsentActions.LevelChosen}", Ct);
        Assert.Equal(0, ledger.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task PutLevel_Pinned_Is409()
    {
        await using var pinned = new PortalFactory(new Dictionary<string, string?> { ["CODER_TELEMETRY"] = "2" });
        using var admin = pinned.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);

        var response = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("pinned by CODER_TELEMETRY=2", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutLevel_StalePolicyVersion_Is409()
    {
        using var admin = await SignedInAsync();

        var response = await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true, policyVersion = new string('0', 64) }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task PutLevel_Support_Is403()
    {
        using var support = await SignedInAsync("sam", SupportPassword);

        var response = await support.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/consent")]
    [InlineData("/api/v1/consent/verify")]
    [InlineData("/api/v1/consent/export")]
    [InlineData("/api/v1/consent/1/receipt")]
    public async Task GetConsent_Customer_Is403(string path)
    {
        using var customer = await SignedInAsync("cora", CustomerPassword);

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task Verify_Support_SaysValidWithEntriesAndHeadHash()
    {
        using (var admin = await SignedInAsync())
        {
            await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true }, Ct);
        }

        using var support = await SignedInAsync("sam", SupportPassword);
        var result = await support.GetFromJsonAsync<JsonElement>("/api/v1/consent/verify", Ct);
        var page = await support.GetFromJsonAsync<JsonElement>("/api/v1/consent?pageSize=1", Ct);

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(3, result.GetProperty("entries").GetInt64());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("firstBroken").ValueKind);
        Assert.Equal(page.GetProperty("items")[0].GetProperty("hash").GetString(), result.GetProperty("headHash").GetString());
        Assert.Equal(3, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Receipt_LevelDecision_IsSignedByThePortalKeyAndNamesThePolicy()
    {
        using var admin = await SignedInAsync();
        var decision = await (await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = decision.GetProperty("entryId").GetInt64();

        using var support = await SignedInAsync("sam", SupportPassword);
        var signed = await support.GetFromJsonAsync<JsonElement>($"/api/v1/consent/{id}/receipt", Ct);

        var publicKey = signed.GetProperty("publicKey").Deserialize<ReceiptPublicKey>()!;
        Assert.True(ConsentReceiptSigner.TryVerify(signed.GetProperty("jws").GetString()!, publicKey, out var receipt, out var error), error);
        Assert.Equal(decision.GetProperty("policyVersion").GetString(), receipt.PolicyVersion);
        Assert.Equal((1, 2, id), (receipt.Level, receipt.PreviousLevel!.Value, receipt.LedgerEntry.Id));
        Assert.Equal("Administrator (admin)", receipt.Actor.Name);
        Assert.Equal(ConsentReceipt.SpecificationVersion, receipt.Version);
        Assert.NotEmpty(receipt.Services[0].Purposes);
        Assert.DoesNotContain(receipt.Services[0].Purposes.SelectMany(p => p.PiiCategory), c => c is "e-mail" or "IP address");
        // The published key is the one kept in the database.
        using var key = System.Security.Cryptography.ECDsa.Create();
        await using (var db = await _factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TelemetryPortal.Web.Data.PortalDbContext>>().CreateDbContextAsync(Ct))
        {
            key.ImportFromPem(db.PortalKeys.Single(k => k.Name == TelemetryPortal.Web.Features.Consent.ConsentReceiptKey.KeyName).Pem);
        }

        Assert.Equal(ConsentReceiptSigner.PublicKeyOf(key), publicKey);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(999)]
    public async Task Receipt_NotALevelDecision_Is404(long id)
    {
        using var admin = await SignedInAsync();

        var response = await admin.GetAsync($"/api/v1/consent/{id}/receipt", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"no level decision with id {id}", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize must be between 1 and 500")]
    [InlineData("?action=Deleted", "action must be one of")]
    [InlineData("?level=7", "level must be 0, 1 or 2; got 7")]
    [InlineData("?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "to must not be before from")]
    public async Task List_BadFilter_Is400NamingIt(string query, string expected)
    {
        using var admin = await SignedInAsync();

        var response = await admin.GetAsync($"/api/v1/consent{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Support_StreamsCsvWithAHeaderAndOneLinePerEntry()
    {
        using (var admin = await SignedInAsync())
        {
            await admin.PutAsJsonAsync("/api/v1/telemetry/level", new { level = 1, confirm = true, reason = "=cmd, \"quoted\"" }, Ct);
        }

        using var support = await SignedInAsync("sam", SupportPassword);
        var response = await support.GetAsync("/api/v1/consent/export", Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,occurred_at,action,", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        // A formula-looking reason is neutralised and quoted, and quotes are doubled.
        Assert.Contains("\"'=cmd, \"\"quoted\"\"\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheConsentApi()
    {
        using var admin = await SignedInAsync();

        var paths = (await admin.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct)).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/consent", out _) || paths.TryGetProperty("/api/v1/consent/", out _));
        Assert.True(paths.TryGetProperty("/api/v1/consent/verify", out _));
        Assert.True(paths.TryGetProperty("/api/v1/consent/{id}/receipt", out _));
        Assert.True(paths.GetProperty("/api/v1/consent/receipts/verify").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/telemetry/level").TryGetProperty("put", out _));
    }
}
