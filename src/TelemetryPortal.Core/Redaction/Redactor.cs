using System.Buffers;
using System.Text.Json;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Redaction;

/// <summary>
/// Applies a telemetry level to a payload, bytes in, bytes out, driven by the data dictionary.
/// <list type="bullet">
/// <item>Level 2: the output is the input, byte for byte (after checking it is a well-formed JSON object within the limits).</item>
/// <item>Level 1: fields the dictionary sends only at level 2 are removed; fields it does not know are removed
/// (fail-closed); e-mail and IP addresses in every kept string are masked. Kept input is copied as it was
/// (whitespace and escapes included), so the output is the input with pieces cut out or masked.</item>
/// <item>Level 0: nothing is written.</item>
/// </list>
/// Input that is not a JSON object, is malformed, nests deeper than <see cref="RedactorOptions.MaxDepth"/> or is
/// larger than <see cref="RedactorOptions.MaxPayloadBytes"/> throws <see cref="RedactionException"/>, at every level.
/// Streams are processed in chunks, so memory use does not grow with the payload. Thread-safe.
/// </summary>
public sealed class Redactor
{
    private readonly CompiledDictionary _compiled;
    private readonly RedactorOptions _options;
    private readonly JsonReaderOptions _readerOptions;

    /// <summary>Creates a redactor for <paramref name="dictionary"/>.</summary>
    public Redactor(DataDictionary dictionary, RedactorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        _options = options ?? new RedactorOptions();
        _options.Validate();
        Dictionary = dictionary;
        _compiled = CompiledDictionary.Compile(dictionary);
        _readerOptions = RedactionSession.ReaderOptions(_options.MaxDepth);
    }

    /// <summary>A redactor over <see cref="DataDictionary.Default"/> with default limits.</summary>
    public static Redactor Default { get; } = new(DataDictionary.Default);

    /// <summary>The dictionary that drives this redactor.</summary>
    public DataDictionary Dictionary { get; }

    /// <summary>The limits in force.</summary>
    public RedactorOptions Options => _options;

    /// <summary>
    /// Redacts an in-memory payload into <paramref name="output"/>. At levels 0 and 2 nothing is written
    /// unless the whole payload is valid; at level 1 output is written as the input is read, so on
    /// <see cref="RedactionException"/> discard what <paramref name="output"/> received.
    /// </summary>
    /// <exception cref="RedactionException">The payload is malformed, too deep, too large or not an object.</exception>
    public RedactionResult Redact(ReadOnlySpan<byte> input, PayloadKind kind, TelemetryLevel level, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckLevel(level);
        CheckSize(_options, input.Length, kind);
        using var session = new RedactionSession(_compiled, kind, level, _options.MaxDepth, output);
        var reader = new Utf8JsonReader(input, isFinalBlock: true, new JsonReaderState(_readerOptions));
        session.Process(ref reader, input, 0);
        var result = session.Complete(input.Length, input.Length);
        if (level == TelemetryLevel.Full)
        {
            output.Write(input);
        }

        return result;
    }

    /// <summary>Redacts a payload held in segments (e.g. a request body pipe), without joining them.</summary>
    /// <inheritdoc cref="Redact(ReadOnlySpan{byte}, PayloadKind, TelemetryLevel, IBufferWriter{byte})"/>
    public RedactionResult Redact(ReadOnlySequence<byte> input, PayloadKind kind, TelemetryLevel level, IBufferWriter<byte> output)
    {
        if (input.IsSingleSegment)
        {
            return Redact(input.FirstSpan, kind, level, output);
        }

        ArgumentNullException.ThrowIfNull(output);
        CheckLevel(level);
        CheckSize(_options, input.Length, kind);
        using var pump = Begin(kind, level, output);
        foreach (var segment in input)
        {
            pump.Write(segment.Span);
        }

        return pump.Finish();
    }

    /// <summary>
    /// Redacts a payload read from <paramref name="input"/> in chunks (memory stays bounded by the chunk size).
    /// Output is written as the input is read, at every level but 0; on <see cref="RedactionException"/> discard it.
    /// </summary>
    /// <exception cref="RedactionException">The payload is malformed, too deep, too large or not an object.</exception>
    public RedactionResult Redact(Stream input, PayloadKind kind, TelemetryLevel level, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        CheckLevel(level);
        using var pump = Begin(kind, level, output);
        while (true)
        {
            var read = input.Read(pump.GetMemory().Span);
            if (read == 0)
            {
                return pump.Finish();
            }

            pump.Advance(read);
        }
    }

    /// <inheritdoc cref="Redact(Stream, PayloadKind, TelemetryLevel, IBufferWriter{byte})"/>
    public async Task<RedactionResult> RedactAsync(Stream input, PayloadKind kind, TelemetryLevel level, IBufferWriter<byte> output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        CheckLevel(level);
        using var pump = Begin(kind, level, output);
        while (true)
        {
            var read = await input.ReadAsync(pump.GetMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return pump.Finish();
            }

            pump.Advance(read);
        }
    }

    /// <summary>
    /// Starts redacting a payload that arrives in pieces: <see cref="IncrementalRedaction.Write"/> each piece as it comes
    /// (several redactions may be fed the same pieces, e.g. one per level), then <see cref="IncrementalRedaction.Finish"/>.
    /// Output is written as the input is read, at every level but 0; on <see cref="RedactionException"/> discard it.
    /// Memory stays bounded by the chunk size (and the largest single token).
    /// </summary>
    public IncrementalRedaction Begin(PayloadKind kind, TelemetryLevel level, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckLevel(level);
        return new IncrementalRedaction(_compiled, _readerOptions, _options, kind, level, output);
    }

    /// <summary>Starts reading a payload for <see cref="Classify(ReadOnlySpan{byte}, PayloadKind)"/>, in pieces: nothing is written.</summary>
    public IncrementalRedaction BeginClassify(PayloadKind kind) => Begin(kind, TelemetryLevel.Lightweight, new DiscardingBufferWriter());

    /// <summary>Redacts an in-memory payload all-or-nothing: either the bytes to send, or an exception and no bytes.</summary>
    /// <exception cref="RedactionException">The payload is malformed, too deep, too large or not an object.</exception>
    public RedactedPayload RedactToArray(ReadOnlySpan<byte> input, PayloadKind kind, TelemetryLevel level)
    {
        var output = new ArrayBufferWriter<byte>(level == TelemetryLevel.Off ? 1 : Math.Max(256, input.Length));
        var result = Redact(input, kind, level, output);
        return new RedactedPayload(output.WrittenMemory.ToArray(), result);
    }

    /// <summary>
    /// What level 1 would do to <paramref name="input"/>, without writing it: the fields the dictionary does
    /// not know (schema drift), what it drops and masks. Whatever level is in force, so that a newer Coder's
    /// fields are seen even where level 2 forwards them.
    /// </summary>
    /// <exception cref="RedactionException">The payload is malformed, too deep, too large or not an object.</exception>
    public RedactionResult Classify(ReadOnlySpan<byte> input, PayloadKind kind) =>
        Redact(input, kind, TelemetryLevel.Lightweight, new DiscardingBufferWriter());

    internal static void CheckSize(RedactorOptions options, long length, PayloadKind kind)
    {
        if (length > options.MaxPayloadBytes)
        {
            throw new RedactionException(
                RedactionError.TooLarge,
                options.MaxPayloadBytes,
                $"The {PayloadKinds.Name(kind)} is {length} bytes, more than the limit of {options.MaxPayloadBytes} bytes.");
        }
    }

    private static void CheckLevel(TelemetryLevel level)
    {
        if (!TelemetryLevels.IsDefined((int)level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Not a telemetry level.");
        }
    }
}
