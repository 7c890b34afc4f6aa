using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TelemetryPortal.Web.Data;
using ZstdSharp;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// A stored content, as an <see cref="IByteSource"/>: a small one is decoded whole (it is at most
/// <see cref="PayloadStore.InlineLimit"/>), a large one a block at a time from any offset.
/// </summary>
internal sealed class StoredContentSource(
    PayloadStore store, IDbContextFactory<PortalDbContext> dbFactory, PayloadContent content, PayloadStore.KeyframeCache? keyframes) : IByteSource
{
    public long Length => content.Length;

    public string Id => content.Sha256;

    public async Task<Stream> OpenReadAsync(long offset, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, content.Length);
        if (content.Encoding != ContentEncoding.Blocks)
        {
            var bytes = await store.GetAsync(content.Sha256, ct, keyframes)
                ?? throw new InvalidDataException($"Stored content {content.Sha256} is missing.");
            return new MemoryStream(bytes, (int)offset, bytes.Length - (int)offset, writable: false);
        }

        var db = await dbFactory.CreateDbContextAsync(ct);
        return new BlockReadStream(db, content, offset);
    }
}

/// <summary>
/// Reads a <see cref="ContentEncoding.Blocks"/> content forward from an offset, one block in memory at a time. Each
/// block is checked by its frame's checksum as it is decoded; read from the start to the end, the whole is checked
/// against the content's SHA-256 too. Damage surfaces as <see cref="InvalidDataException"/> from a read.
/// </summary>
internal sealed class BlockReadStream : Stream
{
    private readonly PortalDbContext _db;
    private readonly PayloadContent _content;
    private readonly IncrementalHash? _whole;
    private readonly Decompressor _decompressor = new();
    private byte[] _block = [];
    private int _blockLength;
    private int _blockOffset;
    private int _nextSeq;
    private long _position;

    public BlockReadStream(PortalDbContext db, PayloadContent content, long offset)
    {
        _db = db;
        _content = content;
        _position = offset;
        _nextSeq = (int)(offset / PayloadStore.BlockBytes);
        _blockOffset = (int)(offset % PayloadStore.BlockBytes);
        // Only a read of the whole can be checked against the whole's SHA-256.
        _whole = offset == 0 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _content.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= _content.Length)
        {
            return 0;
        }

        if (_blockOffset >= _blockLength || _blockLength == 0)
        {
            var skip = _blockLength == 0 ? _blockOffset : 0;
            await LoadNextAsync(cancellationToken);
            _blockOffset = skip;
        }

        var count = Math.Min(buffer.Length, _blockLength - _blockOffset);
        _block.AsSpan(_blockOffset, count).CopyTo(buffer.Span);
        _blockOffset += count;
        _position += count;
        if (_position == _content.Length && _whole is not null
            && !Convert.ToHexStringLower(_whole.GetHashAndReset()).Equals(_content.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Stored content {_content.Sha256} is corrupt: its bytes no longer hash to its SHA-256.");
        }

        return count;
    }

    private async Task LoadNextAsync(CancellationToken ct)
    {
        var seq = _nextSeq;
        var block = await _db.PayloadBlocks.AsNoTracking()
            .Where(b => b.Blob == _content.Blob && b.Seq == seq)
            .Select(b => new { b.Length, b.Data })
            .SingleOrDefaultAsync(ct)
            ?? throw new InvalidDataException($"Stored content {_content.Sha256} is missing block {seq}.");
        if (block.Length is < 1 or > PayloadStore.BlockBytes)
        {
            throw new InvalidDataException($"Stored content {_content.Sha256} is corrupt: block {seq} claims {block.Length} bytes.");
        }

        if (_block.Length < block.Length)
        {
            _block = new byte[PayloadStore.BlockBytes];
        }

        int written;
        try
        {
            written = _decompressor.Unwrap(block.Data, _block.AsSpan(0, block.Length));
        }
        catch (ZstdException ex)
        {
            throw new InvalidDataException($"Stored content {_content.Sha256} is corrupt: block {seq} does not decode ({ex.Message}).", ex);
        }

        if (written != block.Length)
        {
            throw new InvalidDataException($"Stored content {_content.Sha256} is corrupt: block {seq} decodes to {written} bytes, not {block.Length}.");
        }

        _whole?.AppendData(_block, 0, written);
        _blockLength = written;
        _nextSeq++;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _db.Dispose();
            _decompressor.Dispose();
            _whole?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _decompressor.Dispose();
        _whole?.Dispose();
        await base.DisposeAsync();
    }
}
