namespace TelemetryPortal.Web.Features.Telemetry;

/// <summary>
/// A payload's bytes, read from any offset without holding them whole: a stored content (decoded a block at a time), a
/// cached preview on disk, or a small payload in memory. Pages and endpoints read through this, so that a 400 MB
/// snapshot is shown, searched and downloaded a window at a time.
/// </summary>
public interface IByteSource
{
    /// <summary>How many bytes there are.</summary>
    long Length { get; }

    /// <summary>
    /// What the bytes are, for caches of what was computed from them (outlines, search hits): their SHA-256 (lower-case
    /// hex). Two sources with the same id hold the same bytes.
    /// </summary>
    string Id { get; }

    /// <summary>A read-only stream of the bytes from <paramref name="offset"/> to the end; the caller disposes it.</summary>
    /// <exception cref="InvalidDataException">The stored bytes are damaged (may also be thrown while reading).</exception>
    Task<Stream> OpenReadAsync(long offset, CancellationToken ct = default);
}

/// <summary>Bytes already in memory (small payloads, tests).</summary>
public sealed class MemoryByteSource(ReadOnlyMemory<byte> bytes) : IByteSource
{
    /// <summary>No bytes.</summary>
    public static MemoryByteSource Empty { get; } = new(ReadOnlyMemory<byte>.Empty);

    private string? _id;

    public long Length => bytes.Length;

    public string Id => _id ??= PayloadStore.Hash(bytes.Span);

    /// <summary>The bytes themselves.</summary>
    public ReadOnlyMemory<byte> Bytes => bytes;

    public Task<Stream> OpenReadAsync(long offset, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, bytes.Length);
        return Task.FromResult<Stream>(new ReadOnlyMemoryStream(bytes[(int)offset..]));
    }

    /// <summary>A stream over memory that is never copied.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Reading helpers over any <see cref="IByteSource"/>.</summary>
public static class ByteSources
{
    /// <summary>
    /// Reads the bytes whole, for the few places that need them in memory (the diff of two small payloads). Refuses a
    /// source over <paramref name="maxBytes"/>, so a large payload never reaches a whole-payload array by accident.
    /// </summary>
    /// <exception cref="InvalidOperationException">The source is larger than <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadAllAsync(this IByteSource source, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is MemoryByteSource memory)
        {
            return memory.Length <= maxBytes ? memory.Bytes.ToArray() : throw TooLarge(source.Length, maxBytes);
        }

        if (source.Length > maxBytes)
        {
            throw TooLarge(source.Length, maxBytes);
        }

        var bytes = new byte[source.Length];
        await using var stream = await source.OpenReadAsync(0, ct);
        await stream.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    private static InvalidOperationException TooLarge(long length, long maxBytes) =>
        new($"The payload is {length} bytes; only {maxBytes} bytes are read whole.");
}
