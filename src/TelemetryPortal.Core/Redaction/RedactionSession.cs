using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using TelemetryPortal.Core.Dictionary;
using TelemetryPortal.Core.Snapshots;
using TelemetryPortal.Core.Telemetry;

namespace TelemetryPortal.Core.Redaction;

/// <summary>
/// The state of one payload's redaction. It is fed the input as a series of contiguous blocks
/// (one block for in-memory input, refilled buffers for streams) and keeps everything it needs
/// between blocks, so a payload never has to be in memory whole.
/// </summary>
internal sealed class RedactionSession : IDisposable
{
    private const int MaxUnknownPaths = 50;

    private enum Frame : byte
    {
        Record,
        RecordList,
        ValueList,
        Map,
    }

    private readonly CompiledNode[] _nodes;
    private readonly int _root;
    private readonly TelemetryLevel _level;
    private readonly int _maxDepth;
    private readonly JsonOutput? _output;
    private readonly int[] _frameNode;
    private readonly Frame[] _frame;
    private readonly FieldValueType[] _frameType;
    private readonly List<PersonalDataMatch> _matches = [];
    private readonly Dictionary<string, string> _unknownPaths = new(StringComparer.Ordinal);
    private string? _unknownName;
    private const int NoRun = -1;

    private byte[] _scratch = [];
    private byte[] _carry = new byte[256];
    private int _carryLength;
    private int _runStart;
    private int _lastEnd;
    private bool _lastWasStart;
    private bool _stripComma;
    private int _pendingFrom;
    private bool _pendingWasFirst;
    private bool _pendingInCarry;
    private int _top = -1;
    private CompiledField? _pending;
    private bool _skipNextValue;
    private int _skipDepth = -1;
    private bool _rootSeen;
    private int _dropped;
    private int _unknown;
    private int _unexpected;
    private int _maskedEmails;
    private int _maskedIps;
    private int _maskedValues;

    public RedactionSession(CompiledDictionary dictionary, PayloadKind kind, TelemetryLevel level, int maxDepth, IBufferWriter<byte>? output)
    {
        _nodes = dictionary.Nodes;
        _root = CompiledDictionary.RootOf(kind);
        Kind = kind;
        _level = level;
        _maxDepth = maxDepth;
        _frameNode = new int[maxDepth + 1];
        _frame = new Frame[maxDepth + 1];
        _frameType = new FieldValueType[maxDepth + 1];
        if (level == TelemetryLevel.Lightweight && output is not null)
        {
            _output = new JsonOutput(output);
        }
    }

    public PayloadKind Kind { get; }

    public static JsonReaderOptions ReaderOptions(int maxDepth) => new()
    {
        // One more than ours, so our check (which names the limit) trips first.
        MaxDepth = maxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Reads every complete token of <paramref name="block"/> (which <paramref name="reader"/> reads); at level 1 writes the redacted JSON.</summary>
    public void Process(ref Utf8JsonReader reader, ReadOnlySpan<byte> block, long blockOffset)
    {
        try
        {
            if (_output is null)
            {
                Validate(ref reader, blockOffset);
            }
            else
            {
                Transform(ref reader, block, blockOffset);
            }

            CheckUtf8(block[..(int)reader.BytesConsumed], blockOffset);
        }
        catch (JsonException e)
        {
            throw new RedactionException(
                RedactionError.Malformed,
                blockOffset + reader.BytesConsumed,
                $"The {PayloadKinds.Name(Kind)} is not valid JSON near byte {blockOffset + reader.BytesConsumed}: {e.Message}",
                e);
        }
        catch (InvalidOperationException e)
        {
            // Unescaping a string with an invalid escape (e.g. a lone surrogate).
            throw new RedactionException(
                RedactionError.Malformed,
                blockOffset + reader.BytesConsumed,
                $"The {PayloadKinds.Name(Kind)} has an invalid string near byte {blockOffset + reader.BytesConsumed}: {e.Message}",
                e);
        }
    }

    /// <summary>Flushes the output and reports what was done.</summary>
    public RedactionResult Complete(long inputBytes, long fullOutputBytes)
    {
        if (!_rootSeen)
        {
            throw new RedactionException(RedactionError.Malformed, inputBytes, $"The {PayloadKinds.Name(Kind)} is empty.");
        }

        _output?.Flush();
        return new RedactionResult
        {
            Kind = Kind,
            Level = _level,
            InputBytes = inputBytes,
            OutputBytes = _level switch
            {
                TelemetryLevel.Lightweight => _output?.Written ?? 0,
                TelemetryLevel.Full => fullOutputBytes,
                _ => 0,
            },
            DroppedFields = _dropped,
            UnknownFieldsDropped = _unknown,
            UnexpectedValuesDropped = _unexpected,
            MaskedEmails = _maskedEmails,
            MaskedIpAddresses = _maskedIps,
            MaskedValues = _maskedValues,
            UnknownFields = [.. _unknownPaths.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new UnknownField(p.Key, p.Value))],
        };
    }

    public void Dispose()
    {
        _output?.Dispose();
        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }
    }

    private void Validate(ref Utf8JsonReader reader, long blockOffset)
    {
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                CheckDepth(ref reader, blockOffset);
            }


            if (!_rootSeen)
            {
                _rootSeen = true;
                if (token != JsonTokenType.StartObject)
                {
                    throw NotAnObject(ref reader, blockOffset);
                }
            }
        }
    }

    /// <summary>
    /// Level 1. Kept input is copied as raw runs of bytes: only where something changes (a field or
    /// element dropped, a string masked) is the run cut, so untouched records cost no writing per token.
    /// </summary>
    private void Transform(ref Utf8JsonReader reader, ReadOnlySpan<byte> block, long blockOffset)
    {
        _lastEnd = 0;
        if (_runStart != NoRun)
        {
            _runStart = 0;
        }

        while (reader.Read())
        {
            var token = reader.TokenType;
            if (_skipDepth >= 0)
            {
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    CheckDepth(ref reader, blockOffset);
                }
                else if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == _skipDepth)
                {
                    _skipDepth = -1;
                    ResumeAfter(ref reader);
                }

                continue;
            }

            if (_skipNextValue)
            {
                _skipNextValue = false;
                if (_unknownName is not null)
                {
                    if (_unknownPaths.Count < MaxUnknownPaths)
                    {
                        _unknownPaths.TryAdd(_unknownName, JsonTypeName(token));
                    }

                    _unknownName = null;
                }

                SkipValue(ref reader, blockOffset);
                continue;
            }

            switch (token)
            {
                case JsonTokenType.PropertyName:
                    OnPropertyName(ref reader, block);
                    continue;

                case JsonTokenType.StartObject:
                    CheckDepth(ref reader, blockOffset);
                    if (_top < 0)
                    {
                        _rootSeen = true;
                        Push(_root, Frame.Record);
                    }
                    else if (_frame[_top] is Frame.Record or Frame.Map)
                    {
                        var field = TakePending();
                        if (field.Shape is not (FieldShape.Record or FieldShape.Map))
                        {
                            DropPendingMember(ref reader, block, blockOffset);
                            continue;
                        }

                        Push(field.Child, field.Shape == FieldShape.Map ? Frame.Map : Frame.Record);
                    }
                    else if (_frame[_top] == Frame.RecordList)
                    {
                        BeginElement(ref reader, block);
                        Push(_frameNode[_top], Frame.Record);
                    }
                    else
                    {
                        DropElement(ref reader, block, blockOffset);
                        continue;
                    }

                    _lastWasStart = true;
                    _lastEnd = (int)reader.BytesConsumed;
                    continue;

                case JsonTokenType.StartArray:
                    CheckDepth(ref reader, blockOffset);
                    if (_top < 0)
                    {
                        throw NotAnObject(ref reader, blockOffset);
                    }

                    if (_frame[_top] is Frame.Record or Frame.Map)
                    {
                        var field = TakePending();
                        if (!(field.Shape is FieldShape.RecordList or FieldShape.ValueList || field.IsMapValue))
                        {
                            DropPendingMember(ref reader, block, blockOffset);
                            continue;
                        }

                        Push(field.Child, field.Shape == FieldShape.RecordList ? Frame.RecordList : Frame.ValueList);
                        _frameType[_top] = field.ValueType;
                    }
                    else
                    {
                        DropElement(ref reader, block, blockOffset);
                        continue;
                    }

                    _lastWasStart = true;
                    _lastEnd = (int)reader.BytesConsumed;
                    continue;

                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    _stripComma = false;
                    _top--;
                    break;

                case JsonTokenType.String:
                    if (!BeginScalar(ref reader, block, blockOffset, token))
                    {
                        continue;
                    }

                    MaskString(ref reader, block);
                    break;

                default:
                    // Number, True, False, Null: copied as they are.
                    if (!BeginScalar(ref reader, block, blockOffset, token))
                    {
                        continue;
                    }

                    break;
            }

            _lastWasStart = false;
            _lastEnd = (int)reader.BytesConsumed;
        }

        EndBlock(block[..(int)reader.BytesConsumed]);
    }

    private void OnPropertyName(ref Utf8JsonReader reader, ReadOnlySpan<byte> block)
    {
        var node = _nodes[_frameNode[_top]];
        var name = reader.ValueIsEscaped ? Unescape(ref reader) : reader.ValueSpan;
        CompiledField? field;
        var keyHoldsPersonalData = false;
        if (_frame[_top] == Frame.Map)
        {
            // A map's keys vary and travel with it; one that holds an e-mail or IP address drops its member
            // (masking it could make two keys equal).
            field = node.MapValue;
            keyHoldsPersonalData = PersonalDataMasker.Find(name, _matches);
        }
        else
        {
            field = node.Find(name);
        }

        if (field is null || field.MinimumLevel > _level || keyHoldsPersonalData)
        {
            if (field is null)
            {
                _unknown++;
                _unknownName = $"{node.Path}.{Encoding.UTF8.GetString(name)}";
            }
            else if (keyHoldsPersonalData)
            {
                _maskedValues++;
                var emails = _matches.Count(m => m.Kind == PersonalDataKind.Email);
                _maskedEmails += emails;
                _maskedIps += _matches.Count - emails;
            }
            else
            {
                _dropped++;
            }

            // Cut the run before the separator that precedes this member; skip name and value.
            Flush(block, _lastEnd);
            if (_lastWasStart)
            {
                _stripComma = true;
            }

            _skipNextValue = true;
            return;
        }

        var tokenStart = (int)reader.TokenStartIndex;
        _pendingWasFirst = _lastWasStart || _stripComma;
        _pendingFrom = _lastEnd;
        if (_stripComma)
        {
            // An earlier first member was dropped: leave out the comma before this one.
            Flush(block, _lastEnd);
            _runStart = tokenStart;
            _pendingFrom = tokenStart;
            _stripComma = false;
        }

        _pending = field;
        _pendingInCarry = false;
        _lastWasStart = false;
        _lastEnd = (int)reader.BytesConsumed;
    }

    /// <summary>
    /// Handles what comes before a scalar; false when the scalar is dropped: a value of a shape or a JSON type
    /// the dictionary does not declare (a string where a boolean is declared can carry anything) goes, fail-closed.
    /// </summary>
    private bool BeginScalar(ref Utf8JsonReader reader, ReadOnlySpan<byte> block, long blockOffset, JsonTokenType token)
    {
        var isNull = token == JsonTokenType.Null;
        if (_top < 0)
        {
            throw NotAnObject(ref reader, blockOffset);
        }

        switch (_frame[_top])
        {
            case Frame.Record:
            case Frame.Map:
                var field = TakePending();
                if (isNull || (field.Shape == FieldShape.Value && IsOfType(token, field.ValueType)))
                {
                    return true;
                }

                DropPendingMember(ref reader, block, blockOffset);
                return false;

            case Frame.ValueList:
                if (!isNull && !IsOfType(token, _frameType[_top]))
                {
                    DropElement(ref reader, block, blockOffset);
                    return false;
                }

                BeginElement(ref reader, block);
                return true;

            default:
                if (isNull)
                {
                    BeginElement(ref reader, block);
                    return true;
                }

                DropElement(ref reader, block, blockOffset);
                return false;
        }
    }

    private void BeginElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> block)
    {
        if (_stripComma)
        {
            Flush(block, _lastEnd);
            _runStart = (int)reader.TokenStartIndex;
            _stripComma = false;
        }
    }

    /// <summary>The pending member's value has a shape the dictionary does not describe: drop name and value.</summary>
    private void DropPendingMember(ref Utf8JsonReader reader, ReadOnlySpan<byte> block, long blockOffset)
    {
        _unexpected++;
        if (_pendingInCarry)
        {
            _carryLength = 0;
            _runStart = NoRun;
        }
        else
        {
            Flush(block, _pendingFrom);
        }

        if (_pendingWasFirst)
        {
            _stripComma = true;
        }

        SkipValue(ref reader, blockOffset);
    }

    /// <summary>An element of an unexpected shape: drop it.</summary>
    private void DropElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> block, long blockOffset)
    {
        _unexpected++;
        Flush(block, _lastEnd);
        if (_lastWasStart)
        {
            _stripComma = true;
        }

        SkipValue(ref reader, blockOffset);
    }

    /// <summary>Skips the value starting at the current token (scalar or container).</summary>
    private void SkipValue(ref Utf8JsonReader reader, long blockOffset)
    {
        _runStart = NoRun;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            CheckDepth(ref reader, blockOffset);
            _skipDepth = reader.CurrentDepth;
        }
        else
        {
            ResumeAfter(ref reader);
        }
    }

    private void ResumeAfter(ref Utf8JsonReader reader)
    {
        _runStart = (int)reader.BytesConsumed;
        _lastEnd = _runStart;
        _lastWasStart = false;
    }

    private void MaskString(ref Utf8JsonReader reader, ReadOnlySpan<byte> block)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && !PersonalDataMasker.MightContain(raw))
        {
            return;
        }

        var text = reader.ValueIsEscaped ? Unescape(ref reader) : raw;
        if (!PersonalDataMasker.Find(text, _matches))
        {
            return;
        }

        var output = _output!;
        Flush(block, (int)reader.TokenStartIndex);
        _maskedValues++;
        output.WriteByte((byte)'"');
        var at = 0;
        foreach (var match in _matches)
        {
            output.WriteEscaped(text[at..match.Start]);
            if (match.Kind == PersonalDataKind.Email)
            {
                _maskedEmails++;
                output.WriteRaw(PersonalDataMasker.EmailPlaceholderUtf8);
            }
            else
            {
                _maskedIps++;
                output.WriteRaw(PersonalDataMasker.IpPlaceholderUtf8);
            }

            at = match.End;
        }

        output.WriteEscaped(text[at..]);
        output.WriteByte((byte)'"');
        _runStart = (int)reader.BytesConsumed;
    }

    /// <summary>Writes the carried bytes and the run up to <paramref name="end"/>; the run then stops.</summary>
    private void Flush(ReadOnlySpan<byte> block, int end)
    {
        if (_carryLength > 0)
        {
            _output!.WriteRaw(_carry.AsSpan(0, _carryLength));
            _carryLength = 0;
        }

        if (_runStart >= 0 && end > _runStart)
        {
            _output!.WriteRaw(block[_runStart..end]);
        }

        _runStart = NoRun;
    }

    /// <summary>
    /// The block is about to be shifted out. Write the run, except a member whose name was read but whose
    /// value was not: its bytes are carried over, as the value may still turn out to be dropped.
    /// </summary>
    private void EndBlock(ReadOnlySpan<byte> consumed)
    {
        if (_runStart == NoRun)
        {
            return;
        }

        if (_pending is null)
        {
            Flush(consumed, consumed.Length);
            _runStart = 0;
            return;
        }

        var from = _pendingInCarry ? _runStart : _pendingFrom;
        if (!_pendingInCarry)
        {
            Flush(consumed, _pendingFrom);
        }

        var tail = consumed[from..];
        if (_carry.Length < _carryLength + tail.Length)
        {
            Array.Resize(ref _carry, Math.Max(_carry.Length * 2, _carryLength + tail.Length));
        }

        tail.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += tail.Length;
        _pendingInCarry = true;
        _runStart = 0;
    }

    private ReadOnlySpan<byte> Unescape(ref Utf8JsonReader reader)
    {
        var needed = reader.ValueSpan.Length;
        if (_scratch.Length < needed)
        {
            if (_scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
            }

            _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
        }

        var length = reader.CopyString(_scratch);
        return _scratch.AsSpan(0, length);
    }

    private CompiledField TakePending()
    {
        var field = _pending!;
        _pending = null;
        return field;
    }

    private void Push(int node, Frame frame)
    {
        _top++;
        _frameNode[_top] = node;
        _frame[_top] = frame;
    }

    private void CheckDepth(ref Utf8JsonReader reader, long blockOffset)
    {
        if (reader.CurrentDepth + 1 > _maxDepth)
        {
            throw new RedactionException(
                RedactionError.TooDeep,
                blockOffset + reader.TokenStartIndex,
                $"The {PayloadKinds.Name(Kind)} nests objects and arrays deeper than the limit of {_maxDepth} (at byte {blockOffset + reader.TokenStartIndex}).");
        }
    }

    /// <summary>
    /// The reader does not check UTF-8 inside strings, and bytes above 0x7F can only appear in strings,
    /// so one vectorised pass over what the reader consumed checks every string of the block.
    /// </summary>
    private void CheckUtf8(ReadOnlySpan<byte> consumed, long blockOffset)
    {
        if (!Utf8.IsValid(consumed))
        {
            var at = blockOffset + consumed.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            throw new RedactionException(
                RedactionError.Malformed,
                at,
                $"The {PayloadKinds.Name(Kind)} is not valid JSON near byte {at}: a string is not valid UTF-8.");
        }
    }

    private static bool IsOfType(JsonTokenType token, FieldValueType type) => type switch
    {
        FieldValueType.Text => token == JsonTokenType.String,
        FieldValueType.Number => token == JsonTokenType.Number,
        FieldValueType.Flag => token is JsonTokenType.True or JsonTokenType.False,
        _ => true,
    };

    private static string JsonTypeName(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        _ => "null",
    };

    private RedactionException NotAnObject(ref Utf8JsonReader reader, long blockOffset) =>
        new(RedactionError.NotAnObject, blockOffset + reader.TokenStartIndex,
            $"The {PayloadKinds.Name(Kind)} must be a JSON object, but it starts with a {reader.TokenType} token.");
}
