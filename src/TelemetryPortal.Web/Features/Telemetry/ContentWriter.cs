using System.Buffers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;
using ZstdSharp;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Takes a content as it is produced (the redactor writes into it), without holding it whole: a small content is kept
/// in memory and stored as before (whole, or as a delta against a similar one); once it passes
/// <see cref="PayloadStore.InlineLimit"/> it is written out in blocks as it comes (<see cref="ContentEncoding.Blocks"/>),
/// so memory stays at about two blocks whatever the size. Call <see cref="FlushAsync"/> after each write, then
/// <see cref="CompleteAsync"/> in the transaction that saves the payload naming it. Disposing an incomplete writer
/// removes the blocks it wrote. Blocks go on a connection of the writer's own (so a capture holds no write lock while it
/// streams), unless it was given the caller's context: then write inside the caller's transaction, if any. Not thread-safe.
/// </summary>
public sealed class ContentWriter : IBufferWriter<byte>, IAsyncDisposable
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly string? _similarTo;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer;
    private int _filled;

    // Bytes [0, _hashed) of the buffer are in the hash: hashing goes a buffer at a time (at flushes), not a write at a
    // time, since the redactor writes a payload in many small pieces.
    private int _hashed;
    private long _flushed;
    private int _blocks;
    private string? _blob;
    private PortalDbContext? _blockDb;
    private readonly bool _ownsBlockDb;

    // The block connection's own setting, put back before it returns to the pool: every other write (a consent
    // decision, a payload's record) must keep syncing on commit.
    private long? _restoreSynchronous;
    private Compressor? _compressor;
    private bool _completed;

    internal ContentWriter(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, string? similarTo, PortalDbContext? blocksOn)
    {
        _blockDb = blocksOn;
        _ownsBlockDb = blocksOn is null;
        _dbFactory = dbFactory;
        _time = time;
        _similarTo = similarTo;
        _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>How many bytes were written so far.</summary>
    public long Length => _flushed + _filled;

    /// <summary>Whether the content went past <see cref="PayloadStore.InlineLimit"/> and is being written in blocks.</summary>
    public bool InBlocks => _blob is not null;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _filled);
        _filled += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Span;

    /// <summary>Copies <paramref name="data"/> in (for contents that arrive as they are, not through the redactor).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        var target = GetSpan(data.Length);
        data.CopyTo(target);
        Advance(data.Length);
    }

    /// <summary>Writes out the full blocks held, once the content is too large to keep in memory.</summary>
    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_blob is null && _filled <= PayloadStore.InlineLimit)
        {
            return;
        }

        if (_blob is null)
        {
            // From here on the content is written in blocks; its SHA-256 is computed as it goes.
            _blob = Guid.NewGuid().ToString("N");
        }

        if (_blockDb is null)
        {
            _blockDb = await _dbFactory.CreateDbContextAsync(ct);
            if (_blockDb.Database.IsSqlite())
            {
                // Blocks are not durable on their own, only once the content row naming them is committed (on the
                // caller's connection, which syncs the write-ahead log, and every block written before with it): no
                // sync per block, which costs more than the rest of a capture.
                await _blockDb.Database.OpenConnectionAsync(ct);
                await using var command = _blockDb.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA synchronous";
                _restoreSynchronous = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                await _blockDb.Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL", ct);
            }
        }

        HashPending();
        while (_filled >= PayloadStore.BlockBytes)
        {
            await WriteBlockAsync(_blockDb!, PayloadStore.BlockBytes, ct);
        }
    }

    /// <summary>
    /// Ends the content and stores it on <paramref name="db"/> (in its transaction, if one is open), unless the same
    /// content is already there; returns its SHA-256.
    /// </summary>
    public async Task<string> CompleteAsync(PortalDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_blob is null)
        {
            // Small enough to keep whole: stored as before (whole or as a delta); the bytes are hashed there.
            _completed = true;
            return await PayloadStore.PutInlineAsync(db, _buffer.AsMemory(0, _filled), _similarTo, ct);
        }

        HashPending();
        while (_filled > 0)
        {
            await WriteBlockAsync(db, Math.Min(_filled, PayloadStore.BlockBytes), ct);
        }

        _completed = true;
        var sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        long length = _flushed;
        var encoding = nameof(ContentEncoding.Blocks);
        var compressed = Array.Empty<byte>();
        var inserted = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO payload_contents ("Sha256", "Length", "Encoding", "BaseSha256", "Compressed", "Blob")
            VALUES ({sha256}, {length}, {encoding}, NULL, {compressed}, {_blob})
            ON CONFLICT ("Sha256") DO NOTHING
            """,
            ct);
        if (inserted == 0)
        {
            // The same bytes were stored before: this copy's blocks are not needed.
            await db.PayloadBlocks.Where(b => b.Blob == _blob).ExecuteDeleteAsync(ct);
        }

        return sha256;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_completed && _blob is not null && _blockDb is not null)
            {
                // A capture that failed half way leaves nothing behind (the pruner sweeps up after a crash).
                await _blockDb.PayloadBlocks.Where(b => b.Blob == _blob).ExecuteDeleteAsync(CancellationToken.None);
            }
        }
        finally
        {
            if (_blockDb is not null && _ownsBlockDb)
            {
                try
                {
                    if (_restoreSynchronous is { } synchronous)
                    {
                        await _blockDb.Database.ExecuteSqlRawAsync(
                            synchronous switch
                            {
                                0 => "PRAGMA synchronous = OFF",
                                1 => "PRAGMA synchronous = NORMAL",
                                3 => "PRAGMA synchronous = EXTRA",
                                _ => "PRAGMA synchronous = FULL",
                            },
                            CancellationToken.None);
                    }
                }
                finally
                {
                    await _blockDb.DisposeAsync();
                }
            }

            _compressor?.Dispose();
            _hash.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private Memory<byte> Reserve(int sizeHint)
    {
        var needed = _filled + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            // Grows to hold an inline content (up to the limit) or a block plus one write of the redactor.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Min(_buffer.Length * 2, PayloadStore.InlineLimit + PayloadStore.BlockBytes)));
            _buffer.AsSpan(0, _filled).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_filled);
    }

    /// <summary>The block compressed, through a pooled buffer: only the compressed bytes are a new array.</summary>
    private byte[] Compress(ReadOnlySpan<byte> raw)
    {
        if (_compressor is null)
        {
            _compressor = new Compressor(PayloadStore.BlockLevel);
            // Each frame carries the checksum of its content, checked whenever the block is decoded.
            _compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        }

        var bound = Compressor.GetCompressBound(raw.Length);
        var output = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            var written = _compressor.Wrap(raw, output);
            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private void HashPending()
    {
        _hash.AppendData(_buffer, _hashed, _filled - _hashed);
        _hashed = _filled;
    }

    private async Task WriteBlockAsync(PortalDbContext db, int count, CancellationToken ct)
    {
        var raw = _buffer.AsMemory(0, count);
        var block = new PayloadBlock
        {
            Blob = _blob!,
            Seq = _blocks,
            Length = count,
            Data = Compress(raw.Span),
            WrittenAt = _time.GetUtcNow().UtcDateTime,
        };
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO payload_blocks ("Blob", "Seq", "Length", "Data", "WrittenAt")
            VALUES ({block.Blob}, {block.Seq}, {block.Length}, {block.Data}, {block.WrittenAt})
            """,
            ct);
        _blocks++;
        _flushed += count;
        _buffer.AsSpan(count, _filled - count).CopyTo(_buffer);
        _filled -= count;
        _hashed -= count;
    }
}
