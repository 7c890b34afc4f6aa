using System.Buffers;
using System.Globalization;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>A value that writes itself as Go's <c>encoding/json</c> would marshal the Go struct it mirrors.</summary>
public interface IGoJsonWritable
{
    /// <summary>Writes the value, fields in the Go struct's order.</summary>
    void WriteTo(GoJsonWriter writer);
}

/// <summary>
/// Writes JSON byte for byte as Go's <c>json.Marshal</c> does: no whitespace; strings escaped by
/// <see cref="GoJson"/>; <c>time.Time</c> as RFC 3339 in UTC with trailing zeros of the fraction trimmed
/// (<c>RFC3339Nano</c>); <c>time.Duration</c> as integer nanoseconds; floats in Go's shortest form
/// (<c>'f'</c> between 1e-6 and 1e21, else <c>'e'</c> with a one-digit negative exponent as <c>1e-7</c>);
/// map keys sorted by their text; a nil slice, map or pointer as <c>null</c>. Property helpers take
/// <c>omitEmpty</c> for Go's <c>,omitempty</c>: the field is left out when false, 0, "", an empty or nil
/// slice or map, or a nil pointer (a C# <see langword="null"/>).
/// </summary>
/// <remarks>
/// Streams into an <see cref="IBufferWriter{T}"/> and holds nothing but the nesting state, so a
/// payload of any size is written in bounded memory (see <see cref="StreamBufferWriter"/> for a stream).
/// </remarks>
public sealed class GoJsonWriter(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _output = output ?? throw new ArgumentNullException(nameof(output));

    // Whether the next value or property name needs a comma before it.
    private bool _separate;

    /// <summary>Starts an object (<c>{</c>).</summary>
    public void WriteStartObject()
    {
        Separate();
        WriteByte((byte)'{');
        _separate = false;
    }

    /// <summary>Ends an object (<c>}</c>).</summary>
    public void WriteEndObject()
    {
        WriteByte((byte)'}');
        _separate = true;
    }

    /// <summary>Starts an array (<c>[</c>).</summary>
    public void WriteStartArray()
    {
        Separate();
        WriteByte((byte)'[');
        _separate = false;
    }

    /// <summary>Ends an array (<c>]</c>).</summary>
    public void WriteEndArray()
    {
        WriteByte((byte)']');
        _separate = true;
    }

    /// <summary>Writes a property name given as UTF-8 (e.g. <c>"created_at"u8</c>) and the colon.</summary>
    public void WritePropertyName(ReadOnlySpan<byte> utf8Name)
    {
        Separate();
        WriteByte((byte)'"');
        GoJson.WriteEscaped(utf8Name, _output);
        _output.Write("\":"u8);
        _separate = false;
    }

    /// <summary>Writes a property name (e.g. a map key) and the colon.</summary>
    public void WritePropertyName(string name)
    {
        Separate();
        GoJson.WriteString(name, _output);
        WriteByte((byte)':');
        _separate = false;
    }

    /// <summary>Writes a string, escaped as Go does.</summary>
    public void WriteStringValue(string value)
    {
        Separate();
        GoJson.WriteString(value, _output);
        _separate = true;
    }

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNullValue() => WriteLiteral("null"u8);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void WriteBooleanValue(bool value) => WriteLiteral(value ? "true"u8 : "false"u8);

    /// <summary>Writes a signed integer exactly.</summary>
    public void WriteNumberValue(long value)
    {
        Separate();
        var span = _output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
        _separate = true;
    }

    /// <summary>Writes an unsigned integer exactly (Go's <c>uint64</c> is not rounded to a double).</summary>
    public void WriteNumberValue(ulong value)
    {
        Separate();
        var span = _output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
        _separate = true;
    }

    /// <summary>Writes a <c>float64</c> as Go does.</summary>
    public void WriteNumberValue(double value)
    {
        Separate();
        var span = _output.GetSpan(GoJson.MaxFloatLength);
        _output.Advance(GoJson.FormatFloat(value, 64, span));
        _separate = true;
    }

    /// <summary>Writes a <c>float32</c> as Go does: its shortest 32-bit form (0.1f is <c>0.1</c>).</summary>
    public void WriteNumberValue(float value)
    {
        Separate();
        var span = _output.GetSpan(GoJson.MaxFloatLength);
        _output.Advance(GoJson.FormatFloat(value, 32, span));
        _separate = true;
    }

    /// <summary>Writes a <c>uuid.UUID</c>: its lower-case text.</summary>
    public void WriteUuidValue(Guid value)
    {
        Separate();
        var span = _output.GetSpan(38);
        span[0] = (byte)'"';
        value.TryFormat(span[1..], out var written, "D");
        span[written + 1] = (byte)'"';
        _output.Advance(written + 2);
        _separate = true;
    }

    /// <summary>Writes a <c>time.Time</c> (see <see cref="GoJson.FormatTime"/>).</summary>
    public void WriteTimeValue(DateTimeOffset value)
    {
        Separate();
        var span = _output.GetSpan(GoJson.MaxTimeLength);
        _output.Advance(GoJson.FormatTime(value, span));
        _separate = true;
    }

    /// <summary>Writes a <c>time.Duration</c>: integer nanoseconds.</summary>
    public void WriteDurationValue(TimeSpan value) => WriteNumberValue(GoJson.Nanoseconds(value));

    /// <summary>Writes a <c>[]string</c>: <c>null</c> when <paramref name="values"/> is null.</summary>
    public void WriteStringsValue(IEnumerable<string>? values)
    {
        if (values is null)
        {
            WriteNullValue();
            return;
        }

        WriteStartArray();
        foreach (var value in values)
        {
            WriteStringValue(value);
        }

        WriteEndArray();
    }

    /// <summary>Writes a <c>[]uuid.UUID</c>: <c>null</c> when <paramref name="values"/> is null.</summary>
    public void WriteUuidsValue(IEnumerable<Guid>? values)
    {
        if (values is null)
        {
            WriteNullValue();
            return;
        }

        WriteStartArray();
        foreach (var value in values)
        {
            WriteUuidValue(value);
        }

        WriteEndArray();
    }

    /// <summary>Writes a value that writes itself, or <c>null</c>.</summary>
    public void WriteValue<T>(T? value)
        where T : IGoJsonWritable
    {
        if (value is null)
        {
            WriteNullValue();
        }
        else
        {
            value.WriteTo(this);
        }
    }

    /// <summary>Writes JSON text as it is; the caller vouches that it is one valid, Go-encoded value.</summary>
    public void WriteRawValue(ReadOnlySpan<byte> utf8Json)
    {
        Separate();
        _output.Write(utf8Json);
        _separate = true;
    }

    /// <summary>
    /// A <c>string</c> field. A Go string is never nil: <see langword="null"/> (e.g. a field missing from JSON
    /// read back into the model) is its zero value, <c>""</c>.
    /// </summary>
    public void WriteString(ReadOnlySpan<byte> name, string? value, bool omitEmpty = false)
    {
        value ??= "";
        if (omitEmpty && value.Length == 0)
        {
            return;
        }

        WritePropertyName(name);
        WriteStringValue(value);
    }

    /// <summary>A <c>*string</c> field: <c>null</c> (or left out, with <paramref name="omitEmpty"/>) when null; <c>""</c> is written.</summary>
    public void WriteStringOrNull(ReadOnlySpan<byte> name, string? value, bool omitEmpty = false)
    {
        if (value is null)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WritePropertyName(name);
        WriteStringValue(value);
    }

    /// <summary>A <c>bool</c> field.</summary>
    public void WriteBoolean(ReadOnlySpan<byte> name, bool value, bool omitEmpty = false)
    {
        if (omitEmpty && !value)
        {
            return;
        }

        WritePropertyName(name);
        WriteBooleanValue(value);
    }

    /// <summary>A <c>*bool</c> field.</summary>
    public void WriteBoolean(ReadOnlySpan<byte> name, bool? value, bool omitEmpty = false)
    {
        if (value is not { } v)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WritePropertyName(name);
        WriteBooleanValue(v);
    }

    /// <summary>A signed integer field (<c>int</c>, <c>int32</c>, <c>int64</c>).</summary>
    public void WriteNumber(ReadOnlySpan<byte> name, long value, bool omitEmpty = false)
    {
        if (omitEmpty && value == 0)
        {
            return;
        }

        WritePropertyName(name);
        WriteNumberValue(value);
    }

    /// <summary>A <c>*int64</c> field.</summary>
    public void WriteNumber(ReadOnlySpan<byte> name, long? value, bool omitEmpty = false)
    {
        if (value is not { } v)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WritePropertyName(name);
        WriteNumberValue(v);
    }

    /// <summary>An unsigned integer field (<c>uint32</c>, <c>uint64</c>).</summary>
    public void WriteNumber(ReadOnlySpan<byte> name, ulong value, bool omitEmpty = false)
    {
        if (omitEmpty && value == 0)
        {
            return;
        }

        WritePropertyName(name);
        WriteNumberValue(value);
    }

    /// <summary>A <c>float64</c> field.</summary>
    public void WriteNumber(ReadOnlySpan<byte> name, double value, bool omitEmpty = false)
    {
        if (omitEmpty && value == 0)
        {
            return;
        }

        WritePropertyName(name);
        WriteNumberValue(value);
    }

    /// <summary>A <c>*float32</c> field.</summary>
    public void WriteNumber(ReadOnlySpan<byte> name, float? value, bool omitEmpty = false)
    {
        if (value is not { } v)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WritePropertyName(name);
        WriteNumberValue(v);
    }

    /// <summary>A <c>uuid.UUID</c> field (never empty to Go: the zero UUID is written).</summary>
    public void WriteUuid(ReadOnlySpan<byte> name, Guid value)
    {
        WritePropertyName(name);
        WriteUuidValue(value);
    }

    /// <summary>A <c>*uuid.UUID</c> field.</summary>
    public void WriteUuid(ReadOnlySpan<byte> name, Guid? value, bool omitEmpty = false)
    {
        if (value is not { } v)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WriteUuid(name, v);
    }

    /// <summary>A <c>time.Time</c> field (a struct: never empty to Go; the zero time is <c>0001-01-01T00:00:00Z</c>).</summary>
    public void WriteTime(ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        WritePropertyName(name);
        WriteTimeValue(value);
    }

    /// <summary>A <c>*time.Time</c> field.</summary>
    public void WriteTime(ReadOnlySpan<byte> name, DateTimeOffset? value, bool omitEmpty = false)
    {
        if (value is not { } v)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WriteTime(name, v);
    }

    /// <summary>A <c>time.Duration</c> field.</summary>
    public void WriteDuration(ReadOnlySpan<byte> name, TimeSpan value, bool omitEmpty = false) =>
        WriteNumber(name, GoJson.Nanoseconds(value), omitEmpty);

    /// <summary>A <c>*time.Duration</c> field.</summary>
    public void WriteDuration(ReadOnlySpan<byte> name, TimeSpan? value, bool omitEmpty = false) =>
        WriteNumber(name, value is { } v ? GoJson.Nanoseconds(v) : null, omitEmpty);

    /// <summary>A <c>[]string</c> field: <c>null</c> when null, <c>[]</c> when empty; left out for either with <paramref name="omitEmpty"/>.</summary>
    public void WriteStrings(ReadOnlySpan<byte> name, IEnumerable<string>? values, bool omitEmpty = false)
    {
        if (omitEmpty && IsEmpty(values))
        {
            return;
        }

        WritePropertyName(name);
        WriteStringsValue(values);
    }

    /// <summary>A struct or pointer-to-struct field: <c>null</c> when null.</summary>
    public void WriteObject<T>(ReadOnlySpan<byte> name, T? value)
        where T : IGoJsonWritable
    {
        WritePropertyName(name);
        WriteValue(value);
    }

    /// <summary>
    /// A slice-of-structs field, written as it is enumerated (a lazy sequence streams): <c>null</c> when
    /// null, <c>[]</c> when empty; left out for either with <paramref name="omitEmpty"/>.
    /// </summary>
    public void WriteList<T>(ReadOnlySpan<byte> name, IEnumerable<T>? items, bool omitEmpty = false)
        where T : IGoJsonWritable
    {
        if (items is null)
        {
            WriteNull(name, omitEmpty);
            return;
        }

        using var enumerator = items.GetEnumerator();
        var any = enumerator.MoveNext();
        if (!any && omitEmpty)
        {
            return;
        }

        WritePropertyName(name);
        WriteStartArray();
        if (any)
        {
            do
            {
                WriteValue(enumerator.Current);
            }
            while (enumerator.MoveNext());
        }

        WriteEndArray();
    }

    /// <summary>
    /// A map field: keys sorted by their text as Go sorts them (so for integer keys <c>"10"</c> comes
    /// before <c>"2"</c>), each value written by <paramref name="writeValue"/>; <c>null</c> when null.
    /// </summary>
    public void WriteMap<TKey, TValue>(ReadOnlySpan<byte> name, IReadOnlyDictionary<TKey, TValue>? map, Action<GoJsonWriter, TValue> writeValue, bool omitEmpty = false)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(writeValue);
        if (map is null || (omitEmpty && map.Count == 0))
        {
            WriteNull(name, omitEmpty);
            return;
        }

        WritePropertyName(name);
        WriteStartObject();
        var entries = new (string Key, TValue Value)[map.Count];
        var i = 0;
        foreach (var (key, value) in map)
        {
            entries[i++] = (key as string ?? Convert.ToString(key, CultureInfo.InvariantCulture) ?? "", value);
        }

        // Go compares the keys' UTF-8 bytes, which is code point order; ordinal UTF-16 order differs only above U+FFFF.
        Array.Sort(entries, static (a, b) => CompareCodePoints(a.Key, b.Key));
        foreach (var (key, value) in entries)
        {
            WritePropertyName(key);
            writeValue(this, value);
        }

        WriteEndObject();
    }

    private static bool IsEmpty<T>(IEnumerable<T>? values) =>
        values is null || (values.TryGetNonEnumeratedCount(out var count) ? count == 0 : !values.Any());

    private static int CompareCodePoints(string a, string b)
    {
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }

    private void WriteNull(ReadOnlySpan<byte> name, bool omit)
    {
        if (!omit)
        {
            WritePropertyName(name);
            WriteNullValue();
        }
    }

    private void WriteLiteral(ReadOnlySpan<byte> literal)
    {
        Separate();
        _output.Write(literal);
        _separate = true;
    }

    private void Separate()
    {
        if (_separate)
        {
            WriteByte((byte)',');
        }
    }

    private void WriteByte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }
}
