using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Snapshots captured in a row are stored as deltas; what the API and pages do with them, whole or damaged.</summary>
[Trait("Database", "Both")]
public sealed class StoredContentTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new(new Dictionary<string, string?>
    {
        ["Telemetry:Simulation:Users"] = "40",
        ["Telemetry:Simulation:Workspaces"] = "80",
        // A quiet hour: the lists of the last hour are small beside the tables sent whole, as in a large installation.
        ["Telemetry:Simulation:RecentActivity"] = "0.02",
    });

    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _client = _portal.CreatePortalClient();
        await _client.SignInOrFailAsync("admin", PortalFactory.AdminPassword);
        var scheduler = _portal.Services.GetRequiredService<TelemetryScheduler>();
        for (var i = 0; i < 3; i++)
        {
            await scheduler.ReportAsync(Ct);
            _portal.Time.Advance(TimeSpan.FromMinutes(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task Capture_SnapshotsInARow_LaterOnesAreDeltas_AndTheApiReturnsTheirExactBytes()
    {
        var snapshots = await SnapshotsAsync();
        Assert.Equal(3, snapshots.Count);
        Assert.Equal([ContentEncoding.Brotli, ContentEncoding.ZstdDelta, ContentEncoding.ZstdDelta], snapshots.Select(s => s.Content.Encoding));
        Assert.All(snapshots.Skip(1), s => Assert.Equal(snapshots[0].Payload.Sha256, s.Content.BaseSha256));

        foreach (var (payload, _) in snapshots)
        {
            var response = await _client.GetAsync($"/api/v1/history/{payload.Id}/payload", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal(payload.Sha256, PayloadStore.Hash(bytes));
            Assert.Equal(payload.SizeBytes, bytes.Length);
        }
    }

    [Fact]
    public async Task DamagedDelta_ApiSays500NamingIt_PageShowsTheRecordAndTheDamage_SearchStillAnswers()
    {
        var damaged = (await SnapshotsAsync())[^1].Payload;
        await using (var db = await DbAsync())
        {
            var row = await db.PayloadContents.SingleAsync(c => c.Sha256 == damaged.Sha256, Ct);
            var bytes = row.Compressed.ToArray();
            bytes[bytes.Length / 2] ^= 0x44;
            await db.PayloadContents.Where(c => c.Sha256 == damaged.Sha256).ExecuteUpdateAsync(s => s.SetProperty(c => c.Compressed, bytes), Ct);
        }

        var response = await _client.GetAsync($"/api/v1/history/{damaged.Id}/payload", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Stored payload damaged", problem.GetProperty("title").GetString());
        Assert.Contains(damaged.Sha256, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var page = await _client.GetStringAsync($"/telemetry/history/{damaged.Id}", Ct);
        Assert.Contains("data-testid=\"detail-damaged\"", page, StringComparison.Ordinal);
        Assert.Contains(damaged.Sha256, page, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", page, StringComparison.Ordinal);

        var search = await _client.GetAsync("/api/v1/history?q=workspace", Ct);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var ids = (await search.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.NotEmpty(ids);
        Assert.DoesNotContain(damaged.Id, ids);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<PortalDbContext> DbAsync() =>
        _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);

    private async Task<List<(TelemetryPayload Payload, PayloadContent Content)>> SnapshotsAsync()
    {
        await using var db = await DbAsync();
        var payloads = await db.Payloads.AsNoTracking().Where(p => p.Kind == PayloadKind.Snapshot).OrderBy(p => p.Id).ToListAsync(Ct);
        var contents = await db.PayloadContents.AsNoTracking().ToDictionaryAsync(c => c.Sha256, Ct);
        return [.. payloads.Select(p => (p, contents[p.Sha256]))];
    }
}
