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
    }

    private readonly CompiledNode[] _nodes;
    private readonly int _root;
    private readonly TelemetryLevel _level;
    private readonly int _maxDepth;
    private readonly JsonOutput? _output;
    private readonly int[] _frameNode;
    private readonly Frame[] _frame;
    private readonly bool[] _frameHasItems;
    private readonly List<PersonalDataMatch> _matches = [];
    private readonly HashSet<string> _unknownPaths = new(StringComparer.Ordinal);
    private byte[] _scratch = [];
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
        _frameHasItems = new bool[maxDepth + 1];
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
                Transform(ref reader, blockOffset);
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
            UnknownPaths = [.. _unknownPaths.Order(StringComparer.Ordinal)],
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

    private void Transform(ref Utf8JsonReader reader, long blockOffset)
    {
        var output = _output!;
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
                }

                continue;
            }

            if (_skipNextValue)
            {
                _skipNextValue = false;
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    CheckDepth(ref reader, blockOffset);
                    _skipDepth = reader.CurrentDepth;
                }

                continue;
            }

            switch (token)
            {
                case JsonTokenType.PropertyName:
                    OnPropertyName(ref reader);
                    break;

                case JsonTokenType.StartObject:
                    CheckDepth(ref reader, blockOffset);
                    if (_top < 0)
                    {
                        _rootSeen = true;
                        output.WriteByte((byte)'{');
                        Push(_root, Frame.Record);
                    }
                    else if (_frame[_top] == Frame.Record)
                    {
                        var field = TakePending();
                        if (field.Shape == FieldShape.Record)
                        {
                            BeginMember(field);
                            output.WriteByte((byte)'{');
                            Push(field.Child, Frame.Record);
                        }
                        else
                        {
                            SkipUnexpected(ref reader);
                        }
                    }
                    else if (_frame[_top] == Frame.RecordList)
                    {
                        BeginElement();
                        output.WriteByte((byte)'{');
                        Push(_frameNode[_top], Frame.Record);
                    }
                    else
                    {
                        SkipUnexpected(ref reader);
                    }

                    break;

                case JsonTokenType.StartArray:
                    CheckDepth(ref reader, blockOffset);
                    if (_top < 0)
                    {
                        throw NotAnObject(ref reader, blockOffset);
                    }

                    if (_frame[_top] == Frame.Record)
                    {
                        var field = TakePending();
                        if (field.Shape is FieldShape.RecordList or FieldShape.ValueList)
                        {
                            BeginMember(field);
                            output.WriteByte((byte)'[');
                            Push(field.Child, field.Shape == FieldShape.RecordList ? Frame.RecordList : Frame.ValueList);
                        }
                        else
                        {
                            SkipUnexpected(ref reader);
                        }
                    }
                    else
                    {
                        SkipUnexpected(ref reader);
                    }

                    break;

                case JsonTokenType.EndObject:
                    output.WriteByte((byte)'}');
                    _top--;
                    break;

                case JsonTokenType.EndArray:
                    output.WriteByte((byte)']');
                    _top--;
                    break;

                case JsonTokenType.String:
                    if (BeginScalar(ref reader, blockOffset, isNull: false))
                    {
                        WriteString(ref reader);
                    }

                    break;

                default:
                    // Number, True, False, Null: copied as they are.
                    if (BeginScalar(ref reader, blockOffset, isNull: token == JsonTokenType.Null))
                    {
                        output.WriteRaw(reader.ValueSpan);
                    }

                    break;
            }
        }
    }

    private void OnPropertyName(ref Utf8JsonReader reader)
    {
        var node = _nodes[_frameNode[_top]];
        var name = reader.ValueIsEscaped ? Unescape(ref reader) : reader.ValueSpan;
        var field = node.Find(name);
        if (field is null)
        {
            _unknown++;
            if (_unknownPaths.Count < MaxUnknownPaths)
            {
                _unknownPaths.Add($"{node.Path}.{Encoding.UTF8.GetString(name)}");
            }

            _skipNextValue = true;
        }
        else if (field.MinimumLevel > _level)
        {
            _dropped++;
            _skipNextValue = true;
        }
        else
        {
            _pending = field;
        }
    }

    /// <summary>Writes what comes before a scalar; false when the scalar is dropped.</summary>
    private bool BeginScalar(ref Utf8JsonReader reader, long blockOffset, bool isNull)
    {
        if (_top < 0)
        {
            throw NotAnObject(ref reader, blockOffset);
        }

        switch (_frame[_top])
        {
            case Frame.Record:
                var field = TakePending();
                if (field.Shape == FieldShape.Value || isNull)
                {
                    BeginMember(field);
                    return true;
                }

                _unexpected++;
                return false;

            case Frame.ValueList:
                BeginElement();
                return true;

            default:
                if (isNull)
                {
                    BeginElement();
                    return true;
                }

                _unexpected++;
                return false;
        }
    }

    private void WriteString(ref Utf8JsonReader reader)
    {
        var output = _output!;
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && !PersonalDataMasker.MightContain(raw))
        {
            output.WriteQuoted(raw);
            return;
        }

        var text = reader.ValueIsEscaped ? Unescape(ref reader) : raw;
        if (!PersonalDataMasker.Find(text, _matches))
        {
            // Clean: keep the original spelling, escapes included.
            output.WriteQuoted(raw);
            return;
        }

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

    private void SkipUnexpected(ref Utf8JsonReader reader)
    {
        _unexpected++;
        _skipDepth = reader.CurrentDepth;
    }

    private void BeginMember(CompiledField field)
    {
        if (_frameHasItems[_top])
        {
            _output!.WriteByte((byte)',');
        }
        else
        {
            _frameHasItems[_top] = true;
        }

        _output!.WriteRaw(field.JsonPrefix);
    }

    private void BeginElement()
    {
        if (_frameHasItems[_top])
        {
            _output!.WriteByte((byte)',');
        }
        else
        {
            _frameHasItems[_top] = true;
        }
    }

    private void Push(int node, Frame frame)
    {
        _top++;
        _frameNode[_top] = node;
        _frame[_top] = frame;
        _frameHasItems[_top] = false;
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

    private RedactionException NotAnObject(ref Utf8JsonReader reader, long blockOffset) =>
        new(RedactionError.NotAnObject, blockOffset + reader.TokenStartIndex,
            $"The {PayloadKinds.Name(Kind)} must be a JSON object, but it starts with a {reader.TokenType} token.");
}
