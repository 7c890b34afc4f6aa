using System.Buffers;
using System.Text.Json;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Redaction;

/// <summary>
/// One payload being redacted as it arrives (<see cref="Redactor.Begin"/>): each <see cref="Write"/> copies the piece
/// into a refilled buffer, complete tokens are processed, and a partial one is kept for the next piece. Memory stays
/// bounded by the buffer (it grows only for a token larger than itself, within the size limit). Not thread-safe.
/// </summary>
public sealed class IncrementalRedaction : IDisposable
{
    private readonly RedactorOptions _options;
    private readonly PayloadKind _kind;
    private readonly TelemetryLevel _level;
    private readonly IBufferWriter<byte> _output;
    private readonly RedactionSession _session;
    private JsonReaderState _state;
    private byte[] _buffer;
    private int _filled;
    private long _offset;
    private long _total;
    private long _copied;

    internal IncrementalRedaction(
        CompiledDictionary compiled, JsonReaderOptions readerOptions, RedactorOptions options, PayloadKind kind, TelemetryLevel level, IBufferWriter<byte> output)
    {
        _options = options;
        _kind = kind;
        _level = level;
        _output = output;
        _session = new RedactionSession(compiled, kind, level, options.MaxDepth, output);
        _state = new JsonReaderState(readerOptions);
        _buffer = ArrayPool<byte>.Shared.Rent(options.ChunkBytes);
    }

    /// <summary>How many input bytes were written so far.</summary>
    public long BytesRead => _total;

    /// <summary>Feeds the next piece of the payload.</summary>
    /// <exception cref="RedactionException">The payload is malformed, too deep, too large or not an object.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var target = GetMemory().Span;
            var count = Math.Min(target.Length, data.Length);
            data[..count].CopyTo(target);
            Advance(count);
            data = data[count..];
        }
    }

    /// <summary>Ends the payload: checks it is whole and says what was done.</summary>
    /// <exception cref="RedactionException">The payload is malformed or incomplete.</exception>
    public RedactionResult Finish()
    {
        ProcessBlock(isFinal: true);
        return _session.Complete(_total, _copied);
    }

    public void Dispose()
    {
        _session.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
    }

    /// <summary>Room to read the next input into directly (the stream overloads), then <see cref="Advance"/>.</summary>
    internal Memory<byte> GetMemory()
    {
        if (_filled == _buffer.Length)
        {
            // One token is larger than the buffer: grow it (bounded by the size limit).
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _filled).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_filled);
    }

    internal void Advance(int count)
    {
        _total += count;
        Redactor.CheckSize(_options, _total, _kind);
        _filled += count;
        ProcessBlock(isFinal: false);
    }

    private void ProcessBlock(bool isFinal)
    {
        var block = _buffer.AsSpan(0, _filled);
        var reader = new Utf8JsonReader(block, isFinal, _state);
        _session.Process(ref reader, block, _offset);
        _state = reader.CurrentState;
        var consumed = isFinal ? _filled : (int)reader.BytesConsumed;
        if (_level == TelemetryLevel.Full)
        {
            _output.Write(block[..consumed]);
            _copied += consumed;
        }

        block[consumed..].CopyTo(_buffer);
        _filled -= consumed;
        _offset += consumed;
    }
}
