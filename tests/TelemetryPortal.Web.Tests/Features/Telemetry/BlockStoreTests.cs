using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TelemetryPortal.Core.Redaction;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Web.Data;
using TelemetryPortal.Web.Features.Telemetry;
using TelemetryPortal.Web.Tests.Infrastructure;

namespace TelemetryPortal.Web.Tests.Features.Telemetry;

/// <summary>Large contents on the real SQLite file: written and read in blocks, checked, deduplicated, cleaned up.</summary>
public sealed class BlockStoreTests : IAsyncLifetime
{
    // Without the background services: these contents have no payloads, and the pruner would rightly remove them.
    private readonly PortalFactory _portal = new() { ConfigureTestServices = services => services.RemoveAll<IHostedService>() };

    public ValueTask InitializeAsync()
    {
        _portal.CreatePortalClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Put_LargerThanTheInlineLimit_StoredInBlocks_ReadWholeAndFromAnyOffset()
    {
        var bytes = LargeJson(PayloadStore.InlineLimit + (5 * PayloadStore.BlockBytes / 2));
        await using var db = await CreateDbAsync();

        var sha = await Store.PutAsync(db, bytes, similarTo: null, Ct);

        var row = await db.PayloadContents.AsNoTracking().SingleAsync(c => c.Sha256 == sha, Ct);
        Assert.Equal((ContentEncoding.Blocks, (long)bytes.Length, 0), (row.Encoding, row.Length, row.Compressed.Length));
        var blocks = await db.PayloadBlocks.AsNoTracking().Where(b => b.Blob == row.Blob).OrderBy(b => b.Seq).ToListAsync(Ct);
        Assert.Equal((bytes.Length + PayloadStore.BlockBytes - 1) / PayloadStore.BlockBytes, blocks.Count);
        Assert.Equal(bytes.Length, blocks.Sum(b => b.Length));
        Assert.True(blocks.Sum(b => (long)b.Data.Length) * 3 < bytes.Length, "blocks are compressed");
        Assert.Equal(PayloadStore.Hash(bytes), sha);
        Assert.Equal(bytes, await Store.GetAsync(db, sha, Ct));

        var content = await Store.OpenAsync(db, sha, Ct);
        Assert.NotNull(content);
        Assert.Equal((bytes.Length, sha), (content.Length, content.Id));
        Assert.Equal(bytes, await ReadAsync(content, 0, bytes.Length));
        // From inside the third block, across the next boundary.
        var offset = (2 * PayloadStore.BlockBytes) + 17;
        Assert.Equal(bytes.AsSpan(offset, PayloadStore.BlockBytes + 100).ToArray(), await ReadAsync(content, offset, PayloadStore.BlockBytes + 100));
        Assert.Empty(await ReadAsync(content, bytes.Length, 10));
    }

    [Fact]
    public async Task Put_TheSameLargeContentTwice_KeepsOneSetOfBlocks()
    {
        var bytes = LargeJson(PayloadStore.InlineLimit + PayloadStore.BlockBytes);
        await using var db = await CreateDbAsync();

        var first = await Store.PutAsync(db, bytes, similarTo: null, Ct);
        var second = await Store.PutAsync(db, bytes, similarTo: first, Ct);

        Assert.Equal(first, second);
        Assert.Single(await db.PayloadBlocks.Select(b => b.Blob).Distinct().ToListAsync(Ct));
    }

    [Fact]
    public async Task DamagedBlock_ReadSaysWhichBlock_OtherBlocksStillRead()
    {
        var bytes = LargeJson(PayloadStore.InlineLimit + (2 * PayloadStore.BlockBytes));
        await using var db = await CreateDbAsync();
        var sha = await Store.PutAsync(db, bytes, similarTo: null, Ct);
        var blob = await db.PayloadContents.Where(c => c.Sha256 == sha).Select(c => c.Blob).SingleAsync(Ct);
        var damaged = await db.PayloadBlocks.SingleAsync(b => b.Blob == blob && b.Seq == 3, Ct);
        var data = damaged.Data.ToArray();
        data[data.Length / 2] ^= 0x5A;
        await db.PayloadBlocks.Where(b => b.Blob == blob && b.Seq == 3).ExecuteUpdateAsync(s => s.SetProperty(b => b.Data, data), Ct);
        var content = (await Store.OpenAsync(db, sha, Ct))!;

        var whole = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(content, 0, bytes.Length));
        Assert.Contains($"Stored content {sha} is corrupt: block 3", whole.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => Store.GetAsync(db, sha, Ct));
        var after = 4 * PayloadStore.BlockBytes;
        Assert.Equal(bytes.AsSpan(after, 1000).ToArray(), await ReadAsync(content, after, 1000));
    }

    [Fact]
    public async Task Capture_PayloadBrokenPastTheInlineLimit_StoresNothing_NoBlocksLeft()
    {
        var capture = _portal.Services.GetRequiredService<TelemetryCaptureService>();
        // Valid JSON for several blocks, then the object never closes properly.
        var valid = LargeJson(PayloadStore.InlineLimit + (3 * PayloadStore.BlockBytes));
        var broken = valid.AsSpan(0, valid.Length - 2).ToArray().Concat("]]"u8.ToArray()).ToArray();

        await Assert.ThrowsAsync<RedactionException>(() => capture.CaptureAsync(
            PayloadKind.Snapshot, new MemoryStream(broken), TelemetrySource.CoderProxy, "v2", remember: true, Ct));

        await using var db = await CreateDbAsync();
        Assert.Equal(0, await db.Payloads.CountAsync(Ct));
        Assert.Equal(0, await db.PayloadContents.CountAsync(Ct));
        Assert.Equal(0, await db.PayloadBlocks.CountAsync(Ct));
    }

    [Fact]
    public async Task Prune_RemovesBlocksOfUnusedContentsAndOldOrphans_KeepsAWriteInProgress()
    {
        await using var db = await CreateDbAsync();
        var sha = await Store.PutAsync(db, LargeJson(PayloadStore.InlineLimit + PayloadStore.BlockBytes), similarTo: null, Ct);
        var now = _portal.Time.GetUtcNow().UtcDateTime;
        db.PayloadBlocks.AddRange(
            new PayloadBlock { Blob = "crashedlongago", Seq = 0, Length = 1, Data = [1], WrittenAt = now - PayloadStore.OrphanBlockAge - TimeSpan.FromMinutes(1) },
            new PayloadBlock { Blob = "stillbeingwritten", Seq = 0, Length = 1, Data = [1], WrittenAt = now });
        await db.SaveChangesAsync(Ct);

        // Nothing names the content: it goes with its blocks, as does the old orphan; the recent one may still be written.
        await Store.DeleteUnusedAsync(db, Ct);

        Assert.False(await db.PayloadContents.AnyAsync(c => c.Sha256 == sha, Ct));
        Assert.Equal(["stillbeingwritten"], await db.PayloadBlocks.Select(b => b.Blob).ToListAsync(Ct));
    }

    [Fact]
    public async Task Write_OnItsOwnConnection_LeavesEveryPooledConnectionSyncingOnCommit()
    {
        var bytes = LargeJson(PayloadStore.InlineLimit + (2 * PayloadStore.BlockBytes));
        string sha;
        await using (var writer = Store.BeginWrite())
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                writer.Write(bytes.AsSpan(offset, Math.Min(64 * 1024, bytes.Length - offset)));
                await writer.FlushAsync(Ct);
            }

            await using var db = await CreateDbAsync();
            sha = await writer.CompleteAsync(db, Ct);
        }

        Assert.Equal(PayloadStore.Hash(bytes), sha);
        // Blocks skip the sync per commit; the connection they used goes back to the pool syncing again (FULL), so a
        // consent decision committed on it later is durable.
        for (var i = 0; i < 4; i++)
        {
            await using var db = await CreateDbAsync();
            await db.Database.OpenConnectionAsync(Ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            Assert.Equal(2L, Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PayloadStore Store => _portal.Services.GetRequiredService<PayloadStore>();

    private Task<PortalDbContext> CreateDbAsync() =>
        _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(Ct);

    private static async Task<byte[]> ReadAsync(IByteSource content, long offset, int count)
    {
        await using var stream = await content.OpenReadAsync(offset, Ct);
        var buffer = new byte[count];
        var read = await stream.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, Ct);
        return buffer[..read];
    }

    /// <summary>A snapshot-shaped JSON object of about <paramref name="size"/> bytes, every record different.</summary>
    private static byte[] LargeJson(int size)
    {
        var json = new StringBuilder("{\"deployment_id\":\"d\",\"users\":[");
        var random = new Random(7);
        for (var i = 0; json.Length < size; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(Guid.NewGuid()).Append("\",\"status\":\"active\",\"login_type\":\"password\",\"created_at\":\"2026-11-")
                .Append(10 + (i % 18)).Append("T09:00:00Z\",\"rbac_roles\":[\"member\"],\"seq\":").Append(random.Next()).Append('}');
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }
}
