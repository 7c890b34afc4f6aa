using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Licensing;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Consent;
using TelemetryPortal.Web.Features.Licensing;
using TelemetryPortal.Web.Features.Licensing.Desk;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Licensing;

/// <summary>The vendor's desk over HTTP: filings from other installations, decisions only for the secret's holder, limits.</summary>
[Trait("Database", "Both")]
public sealed class DeskApiTests : IAsyncDisposable
{
    private static readonly ConsentActor Support = new("7", "Sam Support (sam)", "Support");

    private readonly List<PortalFactory> _portals = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var portal in _portals)
        {
            await portal.DisposeAsync();
        }
    }

    /// <summary>A P-256 key pair as a desk holds it (private) and installations trust it (public).</summary>
    internal static (string Private, string Public) NewKeyPair()
    {
        using var key = LicenseKeys.Create();
        return (LicenseKeys.PrivatePem(key), LicenseKeys.PublicPem(key));
    }

    private PortalFactory Desk(IDictionary<string, string?>? more = null, bool fakeTime = true)
    {
        var (privateKey, _) = NewKeyPair();
        var settings = new Dictionary<string, string?>
        {
            ["Licensing:SigningKey"] = privateKey,
            ["Licensing:SigningKeyId"] = "vendor-desk-1",
            ["Licensing:DevelopmentKeys"] = "false",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var portal = new PortalFactory(settings, fakeTime: fakeTime);
        _portals.Add(portal);
        return portal;
    }

    private static object Filing(Guid deploymentId, string organisation = "Initech") => new
    {
        organisation,
        contactName = "Cora Customer",
        contactEmail = "cora@initech.example",
        deploymentId,
        reason = "Our regulator forbids any telemetry from this network.",
        termDays = 90,
    };

    private static async Task<DeskReceipt> FileAsync(HttpClient client, Guid deploymentId)
    {
        var response = await client.PostAsJsonAsync("/desk/requests", Filing(deploymentId), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeskReceipt>(TestContext.Current.CancellationToken))!;
    }

    private static Task<HttpResponseMessage> LookupAsync(HttpClient client, Guid id, string? secret)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, $"/desk/requests/{id}");
        if (secret is not null)
        {
            message.Headers.Add(LicenseDeskService.SecretHeader, secret);
        }

        return client.SendAsync(message, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task File_ThenLookup_WithTheSecretOnly_QueuedAsOnlineAndTheSecretKeptAsAHash()
    {
        var desk = Desk();
        using var client = desk.CreatePortalClient();
        var deploymentId = Guid.NewGuid();

        var receipt = await FileAsync(client, deploymentId);
        var decision = await (await LookupAsync(client, receipt.Id, receipt.Secret)).Content.ReadFromJsonAsync<DeskDecision>(TestContext.Current.CancellationToken);

        Assert.Equal("Pending", receipt.Status);
        Assert.True(receipt.Secret.Length >= 43);
        Assert.Equal("Pending", decision!.Status);
        await using var db = await desk.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var stored = await db.LicenseRequests.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(LicenseRequestSource.Online, stored.Source);
        Assert.Equal(deploymentId, stored.DeploymentId);
        Assert.Equal(LicenseDeskService.Hash(receipt.Secret), stored.SecretHash);
        Assert.DoesNotContain(await db.LicenseRequests.Select(r => r.SecretHash).ToListAsync(TestContext.Current.CancellationToken), h => h == receipt.Secret);
        Assert.Contains("LicenseRequested", await db.ConsentLedger.Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task File_EveryFieldAtItsLongest_Accepted_TheLedgerEntryShortenedBeforeItIsSealed()
    {
        // Organisation, name, address and reason at their limits make a ledger reason and actor longer than their
        // columns: PostgreSQL refused the entry (a 500) where SQLite kept it whole. Shortened before sealing, it verifies.
        var desk = Desk();
        using var client = desk.CreatePortalClient();
        var longest = new
        {
            organisation = new string('O', 198) + "😀",
            contactName = new string('N', 200),
            contactEmail = new string('e', 60) + "@" + new string('d', 60) + "." + new string('d', 60) + "." + new string('d', 50) + ".example",
            deploymentId = Guid.NewGuid(),
            reason = new string('R', 1997) + "😀",
            termDays = 90,
        };

        var response = await client.PostAsJsonAsync("/desk/requests", longest, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await using var db = await desk.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var stored = await db.LicenseRequests.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(longest.reason, stored.Reason);
        Assert.Equal(longest.organisation, stored.Organisation);
        var entry = await db.ConsentLedger.SingleAsync(e => e.Action == "LicenseRequested", TestContext.Current.CancellationToken);
        Assert.Equal(2048, entry.Reason.Length);
        Assert.EndsWith("…", entry.Reason, StringComparison.Ordinal);
        Assert.True(entry.ActorName.Length <= 256);
        Assert.True((await desk.Services.GetRequiredService<ConsentLedgerService>().VerifyAsync(TestContext.Current.CancellationToken)).Valid);
    }

    [Theory]
    [InlineData("organisation", "Init\\u0000ech Corporation", "Organisation contains a NUL character (U+0000) at character 5")]
    [InlineData("reason", "Ours\\ud800 regulator forbids any telemetry.", "$.reason")]
    public async Task File_TextNoDatabaseKeeps_Is400NamingTheField_NothingStored(string field, string jsonText, string expected)
    {
        // As JSON escapes them: any filer can send these, and PostgreSQL refused the row with a 500.
        var desk = Desk();
        using var client = desk.CreatePortalClient();
        var filing = JsonSerializer.SerializeToNode(Filing(Guid.NewGuid()))!;
        filing[field] = "@@text@@";
        var body = filing.ToJsonString().Replace("@@text@@", jsonText, StringComparison.Ordinal);

        var response = await client.PostAsync("/desk/requests", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = await desk.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await db.LicenseRequests.ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Lookup_WrongSecretUnknownIdOrNoSecret_SameNotFound()
    {
        var desk = Desk();
        using var client = desk.CreatePortalClient();
        var receipt = await FileAsync(client, Guid.NewGuid());

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var (id, secret) in new (Guid, string?)[] { (receipt.Id, receipt.Secret + "x"), (receipt.Id, null), (Guid.NewGuid(), receipt.Secret), (Guid.NewGuid(), "guess") })
        {
            var response = await LookupAsync(client, id, secret);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            answers.Add((response.StatusCode, problem.GetProperty("title").GetString() + "|" + problem.GetProperty("detail").GetString()));
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.NotFound, "Not found|" + LicenseDeskService.NoSuchRequest), a));
    }

    [Fact]
    public async Task Approve_LicenseForTheRequestedDeployment_ReturnedToTheSecretsHolder()
    {
        var desk = Desk();
        using var client = desk.CreatePortalClient();
        var deploymentId = Guid.NewGuid();
        var receipt = await FileAsync(client, deploymentId);
        var licenses = desk.Services.GetRequiredService<LicenseService>();
        var queued = Assert.Single(await licenses.ListAsync(Support, all: true, TestContext.Current.CancellationToken));

        await licenses.ApproveAsync(queued.Id, 30, Support, ct: TestContext.Current.CancellationToken);
        var decision = await (await LookupAsync(client, receipt.Id, receipt.Secret)).Content.ReadFromJsonAsync<DeskDecision>(TestContext.Current.CancellationToken);

        Assert.Equal("Approved", decision!.Status);
        Assert.Equal(30, decision.GrantedTermDays);
        using var payload = JsonDocument.Parse(Base64UrlDecode(decision.License!.Split('.')[1]));
        Assert.Contains(deploymentId.ToString(), payload.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_BadFieldsTooLargeOrNotJson_RefusedNamingWhat()
    {
        var desk = Desk(new Dictionary<string, string?> { ["Licensing:DeskMaxRequestBytes"] = "2048" });
        using var client = desk.CreatePortalClient();

        var bad = await client.PostAsJsonAsync("/desk/requests", new { organisation = "I", contactEmail = "nope", termDays = 90 }, TestContext.Current.CancellationToken);
        var large = await client.PostAsync("/desk/requests", new StringContent(JsonSerializer.Serialize(new { reason = new string('x', 4000) }), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var notJson = await client.PostAsync("/desk/requests", new StringContent("{organisation", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var detail = (await bad.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString();
        Assert.Contains("Organisation", detail, StringComparison.Ordinal);
        Assert.Contains("Contact e-mail", detail, StringComparison.Ordinal);
        Assert.Contains("Deployment id", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        await using var db = await desk.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await db.LicenseRequests.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task File_OnAPortalWithoutSigningKey_NotFound()
    {
        var portal = new PortalFactory();
        _portals.Add(portal);
        using var client = portal.CreatePortalClient();

        var response = await client.PostAsJsonAsync("/desk/requests", Filing(Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task File_AFlood_RateLimitedPerAddressWith429()
    {
        var desk = Desk(new Dictionary<string, string?> { ["Licensing:DeskFilingsPerMinute"] = "3" });
        using var client = desk.CreatePortalClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/desk/requests", Filing(Guid.NewGuid()), TestContext.Current.CancellationToken)).StatusCode);
        }

        var lookup = await LookupAsync(client, Guid.NewGuid(), "x");
        var limited = await client.PostAsJsonAsync("/desk/requests", Filing(Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        Assert.Contains("Too many license requests", await limited.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_AnExportedFile_QueuedAsFile_AndAFileThatIsNotARequestRefused()
    {
        var desk = Desk();
        desk.CreatePortalClient().Dispose();
        var service = desk.Services.GetRequiredService<LicenseDeskService>();
        var deploymentId = Guid.NewGuid();
        var file = JsonSerializer.Serialize(new LicenseRequestFile(LicenseRequestFile.FileKind, 4, "Initrode", "Ida Admin", "ida@initrode.example", deploymentId,
            "Air-gapped plant network, nothing may leave.", 365, "Ida Admin (ida)", DateTime.UtcNow, "Pending"));

        var imported = await service.ImportAsync(file, Support, TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<TelemetryPortal.Web.Endpoints.PortalProblemException>(() => service.ImportAsync("{\"kind\":\"receipt\"}", Support, TestContext.Current.CancellationToken));

        Assert.Equal(LicenseRequestSource.File, imported.Source);
        Assert.Equal(deploymentId, imported.DeploymentId);
        Assert.Contains("kind", refused.Message, StringComparison.Ordinal);
        var history = await service.HistoryAsync(imported, TestContext.Current.CancellationToken);
        Assert.Contains("imported from a file", Assert.Single(history).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installation_FilesThroughTheDesk_Approved_LicenseVerifiedAndApplied_DenialShowsTheReason()
    {
        var (privateKey, publicKey) = NewKeyPair();
        var desk = new PortalFactory(new Dictionary<string, string?>
        {
            ["Licensing:SigningKey"] = privateKey,
            ["Licensing:SigningKeyId"] = "vendor-desk-1",
            ["Licensing:DevelopmentKeys"] = "false",
        }, fakeTime: false);
        _portals.Add(desk);
        var deskUrl = desk.StartOnKestrel();
        var installation = new PortalFactory(new Dictionary<string, string?>
        {
            ["Licensing:DevelopmentKeys"] = "false",
            ["Licensing:TrustedKeys:0:KeyId"] = "vendor-desk-1",
            ["Licensing:TrustedKeys:0:PublicKey"] = publicKey,
            ["Licensing:DeskUrl"] = deskUrl.ToString(),
            ["Licensing:DeskPollBaseDelay"] = "00:00:00.050",
            ["Licensing:DeskPollMaxDelay"] = "00:00:00.200",
        }, fakeTime: false);
        _portals.Add(installation);
        installation.CreatePortalClient().Dispose();
        var client = installation.Services.GetRequiredService<LicenseDeskClient>();
        var thisDeployment = await installation.Services.GetRequiredService<DeploymentService>().GetDeploymentIdAsync(TestContext.Current.CancellationToken);
        var cora = new ConsentActor("3", "Cora Customer (cora)", "Customer");

        var sending = client.Prepare(new LicenseRequestInput("Initech", "Cora Customer", "cora@initech.example", thisDeployment, "Our regulator forbids any telemetry.", 90));
        var filed = await client.FileAsync(sending, cora, ct: TestContext.Current.CancellationToken);
        var second = await client.FileAsync(client.Prepare(new LicenseRequestInput("Initech", "Cora Customer", "cora@initech.example", thisDeployment, "A second site, same network.", 30)), cora, ct: TestContext.Current.CancellationToken);
        var deskLicenses = desk.Services.GetRequiredService<LicenseService>();
        await Eventually.WaitUntilAsync(async () => (await deskLicenses.ListAsync(Support, true, TestContext.Current.CancellationToken)).Count == 2, "both requests reach the desk");
        var queued = await deskLicenses.ListAsync(Support, true, TestContext.Current.CancellationToken);
        await deskLicenses.ApproveAsync(queued.Single(r => r.TermDays == 90).Id, 60, Support, ct: TestContext.Current.CancellationToken);
        await deskLicenses.DenyAsync(queued.Single(r => r.TermDays == 30).Id, "One license covers the deployment already.", Support, ct: TestContext.Current.CancellationToken);

        var licenses = installation.Services.GetRequiredService<LicenseService>();
        await Eventually.WaitUntilAsync(async () => (await licenses.GetStatusAsync(TestContext.Current.CancellationToken)).UnlocksLevelZero, "the approved license is applied on the installation");
        await Eventually.WaitUntilAsync(async () => (await licenses.ListAsync(cora, false, TestContext.Current.CancellationToken)).Single(r => r.Id == second.Id).Status == LicenseRequestStatus.Denied, "the denial comes back");
        var mine = await licenses.ListAsync(cora, false, TestContext.Current.CancellationToken);
        Assert.Equal(sending.Body, filed.Desk!.Body);
        Assert.Equal(DeskDelivery.Done, mine.Single(r => r.Id == filed.Id).Desk!.Delivery);
        Assert.Equal("One license covers the deployment already.", mine.Single(r => r.Id == second.Id).DenialReason);
        Assert.Equal("vendor-desk-1", (await licenses.GetStatusAsync(TestContext.Current.CancellationToken)).License!.KeyId);
        await using var db = await installation.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ledger = await db.ConsentLedger.OrderBy(e => e.Id).Select(e => new { e.Action, e.Reason }).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(ledger, e => e.Action == "LicenseRequested" && e.Reason.Contains("confirmed sending to the vendor's desk", StringComparison.Ordinal));
        Assert.Contains(ledger, e => e.Action == "LicenseApproved");
        Assert.Contains(ledger, e => e.Action == "LicenseApplied");
        Assert.Contains(ledger, e => e.Action == "LicenseDenied" && e.Reason.Contains("One license covers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_PreviewThenSendConfirmed_OnlyTheExactPreviewedBodyIsFiled()
    {
        var installation = new PortalFactory(new Dictionary<string, string?> { ["Licensing:DeskUrl"] = "http://127.0.0.1:9" });
        _portals.Add(installation);
        using var client = installation.CreatePortalClient();
        await installation.Services.GetRequiredService<TelemetryPortal.Web.Features.Accounts.AccountService>()
            .CreateAsync("cora", "Cora Customer", TelemetryPortal.Web.Authentication.PortalRoles.Customer, "customer-password-1");
        await client.SignInOrFailAsync("cora", "customer-password-1");
        var ct = TestContext.Current.CancellationToken;

        var preview = await (await client.PostAsJsonAsync("/api/v1/licenses/requests/preview", Filing(Guid.NewGuid()), ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var address = preview.GetProperty("address").GetString()!;
        var body = preview.GetProperty("body").GetString()!;
        var unconfirmed = await client.PostAsJsonAsync("/api/v1/licenses/requests/send", new { address, body, confirm = false }, ct);
        var padded = await client.PostAsJsonAsync("/api/v1/licenses/requests/send", new { address, body = body.Replace("{", "{ \"extra\": \"x\",", StringComparison.Ordinal), confirm = true }, ct);
        var sent = await client.PostAsJsonAsync("/api/v1/licenses/requests/send", new { address, body, confirm = true }, ct);

        Assert.Equal("http://127.0.0.1:9/desk/requests", address);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, padded.StatusCode);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var created = await sent.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("Waiting", created.GetProperty("delivery").GetString());
        Assert.Equal("Portal", created.GetProperty("source").GetString());
        await using var db = await installation.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        Assert.Equal(body, (await db.LicenseRequests.SingleAsync(ct)).DeskBody);
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
