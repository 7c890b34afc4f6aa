using System.Security.Cryptography;

namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// Reads another stream once, forward only, counting and hashing (SHA-256) what passes, and stopping with
/// <see cref="BodyTooLargeException"/> past a limit: a body checked, measured and identified in one pass, in
/// bounded memory, whatever its size.
/// </summary>
internal sealed class HashingReadStream(Stream inner, long maxBytes, bool hash = true) : Stream
{
    private readonly IncrementalHash? _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The SHA-256 of every byte read, in lower-case hex; read it once, after the end.</summary>
    public string Sha256() => Convert.ToHexStringLower((_hash ?? throw new InvalidOperationException("This stream was not asked to hash.")).GetHashAndReset());

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(buffer[..inner.Read(buffer)]);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Count(buffer.Span[..read]);
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
            _hash?.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        BytesRead += read.Length;
        if (BytesRead > maxBytes)
        {
            throw new BodyTooLargeException(BytesRead, maxBytes);
        }

        _hash?.AppendData(read);
        return read.Length;
    }
}

/// <summary>A body went past its limit while being read.</summary>
internal sealed class BodyTooLargeException(long size, long maxBytes)
    : IOException($"The body is at least {size} bytes; the limit is {maxBytes} bytes.")
{
    public long Size { get; } = size;

    public long MaxBytes { get; } = maxBytes;
}
