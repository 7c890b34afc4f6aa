using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TelemetryPortal.Core.Simulation;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>The content store on the portal's real SQLite file: whole contents, deltas, and damage.</summary>
[Trait("Database", "Both")]
public sealed class PayloadStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    // Without the background services: these contents have no payloads, and the pruner would
    // rightly remove them between two puts (capture writes content and payload in one transaction).
    private readonly PortalFactory _portal = new() { ConfigureTestServices = services => services.RemoveAll<IHostedService>() };

    public ValueTask InitializeAsync()
    {
        _portal.CreatePortalClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Put_SnapshotsHalfAnHourApart_StoresDeltasAgainstTheFirst_AndReadsTheExactBytes()
    {
        var snapshots = Enumerable.Range(0, 3).Select(i => Snapshot(s_start.AddMinutes(30 * i))).ToArray();
        await using var db = await CreateDbAsync();

        var first = await Store.PutAsync(db, snapshots[0], similarTo: null, Ct);
        var second = await Store.PutAsync(db, snapshots[1], similarTo: first, Ct);
        var third = await Store.PutAsync(db, snapshots[2], similarTo: second, Ct);

        var rows = await db.PayloadContents.AsNoTracking().ToDictionaryAsync(c => c.Sha256, Ct);
        Assert.Equal(ContentEncoding.Brotli, rows[first].Encoding);
        Assert.Null(rows[first].BaseSha256);
        // One step deep: the third is made against the keyframe, not against the second (a delta).
        Assert.All([rows[second], rows[third]], delta =>
        {
            Assert.Equal(ContentEncoding.ZstdDelta, delta.Encoding);
            Assert.Equal(first, delta.BaseSha256);
            Assert.True(delta.Compressed.Length * 4 < rows[first].Compressed.Length,
                $"a delta of {delta.Compressed.Length} bytes saves too little against the keyframe's {rows[first].Compressed.Length}");
        });
        for (var i = 0; i < snapshots.Length; i++)
        {
            var sha = PayloadStore.Hash(snapshots[i]);
            Assert.Equal(snapshots[i], await Store.GetAsync(db, sha, Ct));
            Assert.Equal(snapshots[i].Length, rows[sha].Length);
        }
    }

    [Fact]
    public async Task Put_SimilarToSomethingUnlike_StoresItWhole()
    {
        await using var db = await CreateDbAsync();
        var deployment = await Store.PutAsync(db, Encoding.UTF8.GetBytes("""{"id":"a","version":"v2.24.1"}"""), Ct);

        var snapshot = Snapshot(s_start);
        var sha = await Store.PutAsync(db, snapshot, similarTo: deployment, Ct);

        var row = await db.PayloadContents.AsNoTracking().SingleAsync(c => c.Sha256 == sha, Ct);
        Assert.Equal(ContentEncoding.Brotli, row.Encoding);
        Assert.Null(row.BaseSha256);
        Assert.Equal(snapshot, await Store.GetAsync(db, sha, Ct));
    }

    [Fact]
    public async Task Put_KeyframeServingTheMostDeltas_TheNextIsStoredWholeAndBecomesTheKeyframe()
    {
        await using var db = await CreateDbAsync();
        var keyframe = await Store.PutAsync(db, Counter(0), Ct);
        var previous = keyframe;
        for (var i = 1; i <= PayloadStore.MaxDeltasPerKeyframe; i++)
        {
            previous = await Store.PutAsync(db, Counter(i), previous, Ct);
        }

        var next = await Store.PutAsync(db, Counter(PayloadStore.MaxDeltasPerKeyframe + 1), previous, Ct);
        var after = await Store.PutAsync(db, Counter(PayloadStore.MaxDeltasPerKeyframe + 2), next, Ct);

        Assert.Equal(PayloadStore.MaxDeltasPerKeyframe, await db.PayloadContents.CountAsync(c => c.BaseSha256 == keyframe, Ct));
        Assert.Equal(ContentEncoding.Brotli, (await db.PayloadContents.FindAsync([next], Ct))!.Encoding);
        Assert.Equal(next, (await db.PayloadContents.FindAsync([after], Ct))!.BaseSha256);
        Assert.Equal(Counter(PayloadStore.MaxDeltasPerKeyframe + 2), await Store.GetAsync(db, after, Ct));
    }

    [Fact]
    public async Task Get_DamagedDelta_ThrowsNamingTheContent_NeverReturnsOtherBytes()
    {
        await using var db = await CreateDbAsync();
        var keyframe = await Store.PutAsync(db, Snapshot(s_start), Ct);
        var delta = await Store.PutAsync(db, Snapshot(s_start.AddMinutes(30)), keyframe, Ct);

        // A flipped bit in the middle of the delta's frame: zstd may still decode it to other bytes, and the hash catches that.
        var row = await db.PayloadContents.SingleAsync(c => c.Sha256 == delta, Ct);
        var damaged = row.Compressed.ToArray();
        damaged[damaged.Length / 2] ^= 0x10;
        await db.PayloadContents.Where(c => c.Sha256 == delta).ExecuteUpdateAsync(s => s.SetProperty(c => c.Compressed, damaged), Ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.GetAsync(db, delta, Ct));
        Assert.Contains(delta, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DeltaWhoseKeyframeIsDamaged_ThrowsNamingTheKeyframe()
    {
        await using var db = await CreateDbAsync();
        var keyframeBytes = Snapshot(s_start);
        var keyframe = await Store.PutAsync(db, keyframeBytes, Ct);
        var delta = await Store.PutAsync(db, Snapshot(s_start.AddMinutes(30)), keyframe, Ct);

        // The keyframe replaced by a valid Brotli stream of other bytes of the same length.
        var other = keyframeBytes.ToArray();
        other[^2] = (byte)' ';
        await db.PayloadContents.Where(c => c.Sha256 == keyframe)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Compressed, PayloadStore.Compress(other)), Ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.GetAsync(db, delta, Ct));
        Assert.Contains($"{keyframe} (the keyframe of {delta})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_SimilarToADamagedKeyframe_StoresItWholeAndItBecomesTheNextKeyframe()
    {
        await using var db = await CreateDbAsync();
        var keyframeBytes = Snapshot(s_start);
        var keyframe = await Store.PutAsync(db, keyframeBytes, Ct);
        var other = keyframeBytes.ToArray();
        other[^2] = (byte)' ';
        await db.PayloadContents.Where(c => c.Sha256 == keyframe)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Compressed, PayloadStore.Compress(other)), Ct);

        var next = Snapshot(s_start.AddMinutes(30));
        var sha = await Store.PutAsync(db, next, keyframe, Ct);
        var after = await Store.PutAsync(db, Snapshot(s_start.AddMinutes(60)), sha, Ct);

        var row = await db.PayloadContents.AsNoTracking().SingleAsync(c => c.Sha256 == sha, Ct);
        Assert.Equal((ContentEncoding.Brotli, (string?)null), (row.Encoding, row.BaseSha256));
        Assert.Equal(next, await Store.GetAsync(db, sha, Ct));
        Assert.Equal(sha, (await db.PayloadContents.AsNoTracking().SingleAsync(c => c.Sha256 == after, Ct)).BaseSha256);
    }

    [Fact]
    public async Task Get_ManyDeltasWithOneCache_ReadsTheSameBytesAsWithout()
    {
        await using var db = await CreateDbAsync();
        var snapshots = Enumerable.Range(0, 4).Select(i => Snapshot(s_start.AddMinutes(30 * i))).ToArray();
        string? previous = null;
        foreach (var snapshot in snapshots)
        {
            previous = await Store.PutAsync(db, snapshot, previous, Ct);
        }

        var cache = new PayloadStore.KeyframeCache();
        foreach (var snapshot in snapshots.Reverse())
        {
            Assert.Equal(snapshot, await Store.GetAsync(db, PayloadStore.Hash(snapshot), Ct, cache));
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PayloadStore Store => _portal.Services.GetRequiredService<PayloadStore>();

    private async Task<PortalDbContext> CreateDbAsync() =>
        await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);

    /// <summary>
    /// A snapshot of the same simulated installation at <paramref name="now"/>, as the simulated source takes them:
    /// a quiet one, whose last hour (which an hour later is all new) is small next to its standing tables.
    /// </summary>
    private static byte[] Snapshot(DateTimeOffset now)
    {
        using var output = new MemoryStream();
        new SimulatedInstallation(new SimulationOptions { Now = now, RecentActivity = 0.02, ActiveUsers = 0.1 }).WriteSnapshot(output);
        return output.ToArray();
    }

    /// <summary>A small JSON document that differs from its neighbours in one number.</summary>
    private static byte[] Counter(int i) =>
        Encoding.UTF8.GetBytes($$"""{"counter":{{i}},"items":[{{string.Join(',', Enumerable.Range(0, 400).Select(n => $$"""{"n":{{n}},"name":"item {{n}}"}"""))}}]}""");
}
