using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>The Coder proxy and the built-in collector, over real HTTP on loopback.</summary>
[Trait("Database", "Both")]
public sealed class IngestEndpointTests : PipelineTestBase
{
    private static readonly byte[] s_snapshot = TelemetryJson.Serialize(new SimulatedInstallation(new SimulationOptions { Users = 10, Workspaces = 15 }).CreateSnapshot());

    private PortalFactory CreateProxy(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Telemetry:Source"] = "CoderProxy", ["CODER_TELEMETRY"] = "1" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return CreatePortal(all);
    }

    private static async Task<HttpResponseMessage> PostAsync(Uri portal, string path, byte[] body, string? coderVersion = "v2.25.0", string? key = null)
    {
        using var client = new HttpClient { BaseAddress = portal };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (coderVersion is not null)
        {
            request.Headers.Add("X-Coder-Version", coderVersion);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Ingest_FirstReportsOfAKindAtOnce_AllAcceptedAndOneLastReceivedKept()
    {
        // Before the last-received row was upserted, two first reports at once both inserted it: one was a 500 on PostgreSQL.
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();
        var reports = Enumerable.Range(0, 8)
            .Select(i => TelemetryJson.Serialize(new SimulatedInstallation(new SimulationOptions { Users = 10 + i, Workspaces = 15 }).CreateSnapshot()))
            .ToList();

        var responses = await Task.WhenAll(reports.Select(report => PostAsync(url, "/snapshot", report)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ingested = await db.IngestedPayloads.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("snapshot", ingested.Kind);
        Assert.Equal("v2.25.0", ingested.CoderVersion);
        var kept = await portal.Services.GetRequiredService<PayloadStore>().GetAsync(db, ingested.Sha256, TestContext.Current.CancellationToken);
        Assert.Contains(reports, report => report.AsSpan().SequenceEqual(kept));
        Assert.Equal(kept!.Length, ingested.SizeBytes);
        // Written by raw SQL, read back by EF: the same instant as the capture of the payload it came with.
        Assert.Contains(ingested.ReceivedAt, await db.Payloads.Select(p => p.CapturedAt).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Ingest_ReportsWithTheSameNewFieldsAtOnce_AllAcceptedAndEveryReportCounted()
    {
        // A field Coder added in a release the dictionary does not know yet arrives in every report: recorded once per
        // report, never a failed capture (before, two reports at once both inserted its row, and one was a 500).
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();
        var reports = Enumerable.Range(0, 8)
            .Select(i => Encoding.UTF8.GetBytes(
                "{\"brand_new_field\":\"x\",\"another_new_one\":1," + Encoding.UTF8.GetString(TelemetryJson.Serialize(
                    new SimulatedInstallation(new SimulationOptions { Users = 10 + i, Workspaces = 15 }).CreateSnapshot()))[1..]))
            .ToList();

        var responses = await Task.WhenAll(reports.Select(report => PostAsync(url, "/snapshot", report)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        var fields = await portal.Services.GetRequiredService<UnclassifiedFields>().ListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(8, Assert.Single(fields, f => f.Path == "snapshot.brand_new_field").Reports);
        Assert.Equal(8, Assert.Single(fields, f => f.Path == "snapshot.another_new_one").Reports);
    }

    [Fact]
    public async Task Ingest_NewFieldNamedWithANul_Accepted_AndListedEscaped()
    {
        // Go writes a NUL in a key as \u0000. PostgreSQL's text refuses the character itself (SQLite took it): the report
        // was a 500 there. A report is never lost to the name of a field the dictionary does not know; it is listed escaped.
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();
        var report = Encoding.UTF8.GetBytes("{\"nul\\u0000key\":{\"back\\\\slash\\u001b\":\"v\\u0000w\"}," + Encoding.UTF8.GetString(s_snapshot)[1..]);

        var response = await PostAsync(url, "/snapshot", report);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await WaitForAllSentAsync(portal, 1);
        var fields = await portal.Services.GetRequiredService<UnclassifiedFields>().ListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(fields, f => f.Path == "snapshot.nul\\u0000key");
        Assert.All(fields, f => Assert.Null(StorableText.Problem(f.Path)));
    }

    [Theory]
    [InlineData("lone\\ud800surrogate", "missing low surrogate")]
    [InlineData("reversed\\udc00\\ud800pair", "Invalid surrogate value: '0xDC00'")]
    public async Task Ingest_KeyWithHalfASurrogatePair_Is400NamingWhereAndStoresNothing(string escapedName, string named)
    {
        // Go never writes one (it writes U+FFFD for what is not UTF-8), and it is no character: refused, said where.
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();
        var report = Encoding.UTF8.GetBytes("{\"" + escapedName + "\":1," + Encoding.UTF8.GetString(s_snapshot)[1..]);

        var response = await PostAsync(url, "/snapshot", report);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("near byte", body, StringComparison.Ordinal);
        Assert.Contains(named, body, StringComparison.Ordinal);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Fact]
    public async Task Ingest_CoderSnapshot_Is202AndForwardedRedactedWithCodersVersion()
    {
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();

        var response = await PostAsync(url, "/ingest/coder/snapshot", s_snapshot);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForAllSentAsync(portal, 1);
        var forwarded = Assert.Single(Receiver.Requests);
        Assert.Equal("/snapshot", forwarded.Path);
        Assert.Equal("v2.25.0", forwarded.CoderVersion);
        var text = Encoding.UTF8.GetString(forwarded.Body);
        Assert.DoesNotMatch(Email(), text);
        Assert.DoesNotMatch(Ipv4(), text);
        Assert.Matches(Email(), Encoding.UTF8.GetString(s_snapshot));

        var payload = Assert.Single(await PayloadsAsync(portal));
        Assert.Equal(TelemetrySource.CoderProxy, payload.Source);
        Assert.Equal(1, payload.Level);
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var ingested = await db.IngestedPayloads.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("snapshot", ingested.Kind);
        Assert.Equal(s_snapshot, await portal.Services.GetRequiredService<PayloadStore>().GetAsync(db, ingested.Sha256, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Ingest_AddressNotAllowed_Is403AndStoresNothing()
    {
        await using var portal = CreateProxy(new() { ["Telemetry:Proxy:AllowedAddresses:0"] = "10.0.0.0/8" });
        var url = portal.StartOnKestrel();

        var response = await PostAsync(url, "/ingest/coder/snapshot", s_snapshot);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("127.0.0.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Fact]
    public async Task Ingest_TooLarge_Is413AndStoresNothing()
    {
        await using var portal = CreateProxy(new() { ["Telemetry:Proxy:MaxPayloadBytes"] = "4096" });
        var url = portal.StartOnKestrel();

        var response = await PostAsync(url, "/ingest/coder/snapshot", s_snapshot);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4096", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Theory]
    [InlineData("{\"deployment_id\": ", "not valid JSON")]
    [InlineData("[1, 2, 3]", "object")]
    [InlineData("", "body")]
    public async Task Ingest_BadBody_Is400NamingTheProblemAndStoresNothing(string body, string expected)
    {
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();

        var response = await PostAsync(url, "/ingest/coder/snapshot", Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Fact]
    public async Task Ingest_TooDeep_Is400AndStoresNothing()
    {
        await using var portal = CreateProxy(new() { ["Telemetry:Proxy:MaxDepth"] = "16" });
        var url = portal.StartOnKestrel();
        var deep = "{\"users\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";

        var response = await PostAsync(url, "/ingest/coder/snapshot", Encoding.UTF8.GetBytes(deep));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("deep", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await PayloadsAsync(portal));
    }

    [Fact]
    public async Task Ingest_ProxyOff_Is404SayingHowToTurnItOn()
    {
        await using var portal = CreatePortal();
        var url = portal.StartOnKestrel();

        var response = await PostAsync(url, "/ingest/coder/snapshot", s_snapshot);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Telemetry:Source=CoderProxy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_UnknownKind_Is404()
    {
        await using var portal = CreateProxy();
        var url = portal.StartOnKestrel();

        var response = await PostAsync(url, "/ingest/coder/users", s_snapshot);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Collector_RepeatedKey_IsAcknowledgedAndStoredOnce()
    {
        await using var portal = CreatePortal();
        var url = portal.StartOnKestrel();

        var first = await PostAsync(url, "/collector/snapshot", s_snapshot, key: "key-1");
        var again = await PostAsync(url, "/collector/snapshot", s_snapshot, key: "key-1");
        var missingKey = await PostAsync(url, "/collector/snapshot", s_snapshot);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingKey.StatusCode);
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var receipt = await db.CollectorReceipts.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, receipt.Duplicates);
        Assert.Equal(PayloadStore.Hash(s_snapshot), receipt.Sha256);
    }

    [Fact]
    public async Task DefaultEndpoint_IsTheBuiltInCollector_WhichReceivesEveryPayload()
    {
        await using var portal = CreatePortal(new Dictionary<string, string?> { ["Telemetry:Endpoint"] = null });
        portal.StartOnKestrel();

        await portal.Services.GetRequiredService<TelemetryScheduler>().ReportAsync(TestContext.Current.CancellationToken);
        await WaitForAllSentAsync(portal, 2);

        var payloads = await PayloadsAsync(portal);
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var receipts = await db.CollectorReceipts.ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(payloads.Select(p => (p.IdempotencyKey.ToString(), p.Sha256)).Order(), receipts.Select(r => (r.IdempotencyKey, r.Sha256)).Order());
        Assert.All(payloads, p => Assert.EndsWith($"/collector/{PayloadKinds.Name(p.Kind)}", p.Endpoint, StringComparison.Ordinal));
        Assert.Empty(Receiver.Requests);
    }
}
