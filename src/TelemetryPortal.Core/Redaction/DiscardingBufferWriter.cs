using System.Buffers;

namespace TelemetryPortal.Core.Redaction;

/// <summary>Takes writes and forgets them, reusing one buffer: for a redaction whose output is not wanted (a check, a count).</summary>
public sealed class DiscardingBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[4096];

    public void Advance(int count)
    {
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Span;

    private Memory<byte> Reserve(int sizeHint)
    {
        if (_buffer.Length < sizeHint)
        {
            _buffer = new byte[sizeHint];
        }

        return _buffer;
    }
}
