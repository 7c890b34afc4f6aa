using System.Buffers;
using System.Runtime.CompilerServices;

namespace TelemetryPortal.Core.Redaction;

/// <summary>A minimal UTF-8 writer: copies already-valid JSON fragments into a pooled buffer, flushing to the output.</summary>
internal sealed class JsonOutput : IBufferWriter<byte>, IDisposable
{
    private readonly IBufferWriter<byte> _output;
    private byte[] _buffer;
    private int _position;

    public JsonOutput(IBufferWriter<byte> output)
    {
        _output = output;
        _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>Bytes handed to the output so far, including buffered ones.</summary>
    public long Written { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_position == _buffer.Length)
        {
            Flush();
        }

        _buffer[_position++] = value;
        Written++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        if (value.Length <= _buffer.Length - _position)
        {
            value.CopyTo(_buffer.AsSpan(_position));
            _position += value.Length;
            Written += value.Length;
            return;
        }

        WriteRawSlow(value);
    }

    /// <summary>
    /// Writes unescaped UTF-8 text as the content of a JSON string, escaped as Go's <c>encoding/json</c> does
    /// (<see cref="Snapshots.GoJson"/>), so that a rewritten string reads as Coder itself would have written it.
    /// </summary>
    public void WriteEscaped(ReadOnlySpan<byte> text) => Snapshots.GoJson.WriteEscaped(text, this);

    /// <inheritdoc/>
    public void Advance(int count)
    {
        _position += count;
        Written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_position);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_position);
    }

    public void Flush()
    {
        if (_position > 0)
        {
            _output.Write(_buffer.AsSpan(0, _position));
            _position = 0;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteRawSlow(ReadOnlySpan<byte> value)
    {
        Flush();
        if (value.Length <= _buffer.Length)
        {
            value.CopyTo(_buffer);
            _position = value.Length;
        }
        else
        {
            _output.Write(value);
        }

        Written += value.Length;
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _position >= sizeHint)
        {
            return;
        }

        Flush();
        if (_buffer.Length < sizeHint)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
        }
    }
}
