using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Authentication;
using TelemetryPortal.Web.Features.Accounts;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>A portal whose sent log holds 12 reports (24 payloads) captured an hour apart, and accounts for each role.</summary>
[Trait("Database", "Both")]
public sealed class HistoryFixture : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new(new Dictionary<string, string?>
    {
        ["Telemetry:Simulation:Users"] = "8",
        ["Telemetry:Simulation:Workspaces"] = "10",
    });

    public async ValueTask InitializeAsync()
    {
        Portal.CreatePortalClient().Dispose();
        var accounts = Portal.Services.GetRequiredService<AccountService>();
        await accounts.CreateAsync("sam", "Sam Support", PortalRoles.Support, "support-password-1");
        await accounts.CreateAsync("cora", "Cora Customer", PortalRoles.Customer, "customer-password-1");
        var scheduler = Portal.Services.GetRequiredService<TelemetryScheduler>();
        for (var i = 0; i < 12; i++)
        {
            await scheduler.ReportAsync(CancellationToken.None);
            Portal.Time.Advance(TimeSpan.FromHours(1));
        }
    }

    public async Task<HttpClient> SignedInAsync(string user = "admin", string password = PortalFactory.AdminPassword)
    {
        var client = Portal.CreatePortalClient();
        await client.SignInOrFailAsync(user, password);
        return client;
    }

    public ValueTask DisposeAsync() => Portal.DisposeAsync();
}

[Trait("Database", "Both")]
public sealed class HistoryApiTests(HistoryFixture fixture) : IClassFixture<HistoryFixture>
{
    [Fact]
    public async Task GetHistory_Paging_ReturnsPageAndTotalNewestFirst()
    {
        using var client = await fixture.SignedInAsync();

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?pageSize=10");
        var third = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?pageSize=10&page=3");

        Assert.Equal(24, first.GetProperty("total").GetInt32());
        var ids = first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(10, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(4, third.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task GetHistory_Filters_ByKindTimeAndStatus()
    {
        using var client = await fixture.SignedInAsync();
        var from = fixture.Portal.Time.GetUtcNow().AddHours(-3).UtcDateTime.ToString("O");

        var deployments = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?kind=deployment&pageSize=50");
        var recent = await client.GetFromJsonAsync<JsonElement>($"/api/v1/history?from={Uri.EscapeDataString(from)}");
        var sent = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?status=Sent");

        Assert.Equal(12, deployments.GetProperty("total").GetInt32());
        Assert.All(deployments.GetProperty("items").EnumerateArray(), i => Assert.Equal("deployment", i.GetProperty("kind").GetString()));
        Assert.Equal(6, recent.GetProperty("total").GetInt32());
        Assert.Equal(0, sent.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task GetHistory_TextSearch_FindsPayloadsByContent()
    {
        using var client = await fixture.SignedInAsync();

        var byArchitecture = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?q=os_platform");
        var nothing = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?q=no-such-text-anywhere");

        Assert.Equal(12, byArchitecture.GetProperty("total").GetInt32());
        Assert.All(byArchitecture.GetProperty("items").EnumerateArray(), i => Assert.Equal("deployment", i.GetProperty("kind").GetString()));
        Assert.Equal(0, nothing.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task GetHistory_TextSearch_IsLiteral_LikesWildcardsAndEscapeMatchOnlyThemselves()
    {
        // "%" and "_" are LIKE's wildcards and a backslash PostgreSQL's escape: "%" matched anything, "_" any character,
        // and a search ending in a backslash was a 500 on PostgreSQL ("LIKE pattern must not end with escape character").
        using var client = await fixture.SignedInAsync();
        async Task<(HttpStatusCode Status, int Total)> SearchAsync(string q)
        {
            using var response = await client.GetAsync($"/api/v1/history?q={Uri.EscapeDataString(q)}");
            return (response.StatusCode, response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32() : -1);
        }

        // The simulated installation's Coder version, in every payload's record.
        var version = fixture.Portal.Services.GetRequiredService<SimulatedTelemetrySource>().CoderVersion;
        Assert.Equal((HttpStatusCode.OK, 24), await SearchAsync(version));
        Assert.Equal((HttpStatusCode.OK, 0), await SearchAsync(version.Replace('.', '_')));
        Assert.Equal((HttpStatusCode.OK, 0), await SearchAsync(version[..2] + "%" + version[^1..]));
        Assert.Equal((HttpStatusCode.OK, 0), await SearchAsync(version + "\\"));
        Assert.Equal(HttpStatusCode.OK, (await SearchAsync("\\")).Status);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=99", "beyond the last page")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("level=3", "level")]
    [InlineData("status=Lost", "status")]
    [InlineData("kind=users", "kind")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-27T12:00:00Z&to=2026-11-26T00:00:00Z", "after")]
    [InlineData("sortBy=password", "sortBy")]
    public async Task GetHistory_BadQuery_Is400NamingTheParameter(string query, string expected)
    {
        using var client = await fixture.SignedInAsync();

        var response = await client.GetAsync($"/api/v1/history?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPayload_ExactBytes_HashToTheLoggedSha256()
    {
        using var client = await fixture.SignedInAsync("sam", "support-password-1");
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/history?kind=snapshot&pageSize=1");
        var id = page.GetProperty("items")[0].GetProperty("id").GetInt64();

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/history/{id}");
        var response = await client.GetAsync($"/api/v1/history/{id}/payload");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var sha = detail.GetProperty("sha256").GetString();
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(sha, response.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal(detail.GetProperty("sizeBytes").GetInt64(), bytes.Length);
        Assert.Equal("application/json", detail.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal("v2.24.1", detail.GetProperty("headers").GetProperty("X-Coder-Version").GetString());
    }

    [Theory]
    [InlineData("/api/v1/history/999999")]
    [InlineData("/api/v1/history/999999/payload")]
    public async Task GetHistoryItem_UnknownId_Is404(string path)
    {
        using var client = await fixture.SignedInAsync();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("999999", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHistory_AsCustomer_Is403()
    {
        using var client = await fixture.SignedInAsync("cora", "customer-password-1");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/telemetry/preview")).StatusCode);
    }

    [Fact]
    public async Task Diff_TwoSnapshots_ListsChanges_DifferentKinds_Is400()
    {
        using var client = await fixture.SignedInAsync();
        var snapshots = (await client.GetFromJsonAsync<JsonElement>("/api/v1/history?kind=snapshot&pageSize=2")).GetProperty("items");
        var deployment = (await client.GetFromJsonAsync<JsonElement>("/api/v1/history?kind=deployment&pageSize=1")).GetProperty("items")[0];
        long newer = snapshots[0].GetProperty("id").GetInt64(), older = snapshots[1].GetProperty("id").GetInt64();

        var diff = await client.GetFromJsonAsync<JsonElement>($"/api/v1/history/diff?from={older}&to={newer}");
        var mixed = await client.GetAsync($"/api/v1/history/diff?from={older}&to={deployment.GetProperty("id").GetInt64()}");

        Assert.Equal("snapshot", diff.GetProperty("kind").GetString());
        Assert.True(diff.GetProperty("changes").GetArrayLength() > 0, "Snapshots an hour apart differ in their timestamps.");
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
    }

    [Fact]
    public async Task Preview_EachLevel_IsWhatTheRedactorSends()
    {
        using var client = await fixture.SignedInAsync();

        var full = await client.GetByteArrayAsync("/api/v1/telemetry/preview?kind=snapshot&level=2");
        var light = await client.GetByteArrayAsync("/api/v1/telemetry/preview?kind=snapshot&level=1");
        var off = await client.GetAsync("/api/v1/telemetry/preview?kind=snapshot&level=0");
        var bad = await client.GetAsync("/api/v1/telemetry/preview?kind=snapshot&level=5");

        var source = await fixture.Portal.Services.GetRequiredService<SimulatedTelemetrySource>().CaptureAsync(PayloadKind.Snapshot);
        Assert.Equal(source, full);
        Assert.Contains("@", Encoding.UTF8.GetString(full), StringComparison.Ordinal);
        Assert.DoesNotContain("\"email\"", Encoding.UTF8.GetString(light), StringComparison.Ordinal);
        Assert.True(light.Length < full.Length);
        Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("csv", "text/csv")]
    [InlineData("jsonl", "application/x-ndjson")]
    [InlineData("zip", "application/zip")]
    public async Task Export_Filtered_StreamsEveryMatchingPayload(string format, string contentType)
    {
        using var client = await fixture.SignedInAsync();

        var response = await client.GetAsync($"/api/v1/history/export?format={format}&kind=deployment");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(contentType, response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        switch (format)
        {
            case "csv":
                Assert.Equal(13, Encoding.UTF8.GetString(body).TrimEnd('\n').Split('\n').Length);
                break;
            case "jsonl":
                var lines = Encoding.UTF8.GetString(body).TrimEnd('\n').Split('\n');
                Assert.Equal(12, lines.Length);
                Assert.All(lines, l => Assert.Equal("deployment", JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString()));
                break;
            default:
                using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(body)))
                {
                    Assert.Equal(13, zip.Entries.Count);
                    Assert.Contains(zip.Entries, e => e.FullName == "index.csv");
                }

                break;
        }
    }

    [Fact]
    public async Task DictionaryExport_Csv_HasARowPerField()
    {
        using var client = await fixture.SignedInAsync("cora", "customer-password-1");

        var csv = await client.GetStringAsync("/api/v1/dictionary/export?format=csv");
        var bad = await client.GetAsync("/api/v1/dictionary/export?format=xml");

        Assert.Equal(Core.Dictionary.DataDictionary.Default.Entries.Count + 1, csv.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

[Trait("Database", "Both")]
public sealed class SendNowApiTests
{
    [Fact]
    public async Task SendNow_AdminIs202_SupportIs403()
    {
        // Its own portal: a report sent now would change the counts the shared fixture's tests rely on.
        await using var portal = new PortalFactory();
        portal.CreatePortalClient().Dispose();
        await portal.Services.GetRequiredService<AccountService>().CreateAsync("sam", "Sam Support", PortalRoles.Support, "support-password-1");
        using var admin = portal.CreatePortalClient();
        await admin.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        using var support = portal.CreatePortalClient();
        await support.SignInOrFailAsync("sam", "support-password-1");

        var sent = await admin.PostAsync("/api/v1/telemetry/send-now", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(TelemetryScheduler.ReportQueued, (await sent.Content.ReadFromJsonAsync<SendNowResponse>())!.Message);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PostAsync("/api/v1/telemetry/send-now", null)).StatusCode);
    }
}
