using System.Buffers;
using System.Runtime.CompilerServices;

namespace TelemetryPortal.Core.Redaction;

/// <summary>A minimal UTF-8 writer: copies already-valid JSON fragments into a pooled buffer, flushing to the output.</summary>
internal sealed class JsonOutput : IDisposable
{
    private static readonly SearchValues<byte> s_needsEscaping = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

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

    /// <summary>Writes unescaped UTF-8 text as the content of a JSON string, escaping what JSON requires.</summary>
    public void WriteEscaped(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var special = text.IndexOfAny(s_needsEscaping);
            if (special < 0)
            {
                WriteRaw(text);
                return;
            }

            WriteRaw(text[..special]);
            var b = text[special];
            switch (b)
            {
                case (byte)'"':
                    WriteRaw("\\\""u8);
                    break;
                case (byte)'\\':
                    WriteRaw("\\\\"u8);
                    break;
                case (byte)'\n':
                    WriteRaw("\\n"u8);
                    break;
                case (byte)'\r':
                    WriteRaw("\\r"u8);
                    break;
                case (byte)'\t':
                    WriteRaw("\\t"u8);
                    break;
                default:
                    WriteRaw("\\u00"u8);
                    WriteByte(Hex(b >> 4));
                    WriteByte(Hex(b & 0xF));
                    break;
            }

            text = text[(special + 1)..];
        }
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

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
