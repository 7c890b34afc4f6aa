using System.Buffers;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over a <see cref="Stream"/> that hands its bytes to the stream
/// every 64 KiB, so a writer streaming a payload of any size holds one small buffer.
/// </summary>
public sealed class StreamBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _written;

    /// <summary>Writes to <paramref name="stream"/>; call <see cref="Flush"/> (or dispose) at the end.</summary>
    public StreamBufferWriter(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
        if (_written >= ChunkSize)
        {
            Flush();
        }
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(Reserve(sizeHint));

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(Reserve(sizeHint));

    /// <summary>Hands the buffered bytes to the stream (it does not flush the stream itself).</summary>
    public void Flush()
    {
        if (_written > 0)
        {
            _stream.Write(_buffer, 0, _written);
            _written = 0;
        }
    }

    /// <summary>Flushes and returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        Flush();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private int Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written < sizeHint)
        {
            Flush();
            if (_buffer.Length < sizeHint)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
            }
        }

        return _written;
    }
}
