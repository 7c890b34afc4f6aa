using System.Buffers;
using System.Globalization;
using System.Text;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>
/// JSON text as Go's <c>encoding/json</c> writes it (what a real Coder server sends), for the parts
/// where .NET's writers differ: string escaping. Go escapes <c>"</c> and <c>\</c>, writes <c>\b \f \n \r \t</c>
/// as such and every other byte below 0x20 as <c>\u00xx</c> (lower-case hex); with HTML escaping on (the
/// default of <c>json.Marshal</c>) also <c>&lt; &gt; &amp;</c> as <c>\u003c \u003e \u0026</c>; U+2028 and U+2029 as
/// <c>\u2028 \u2029</c>; invalid UTF-8 as <c>\ufffd</c>. Everything else, non-ASCII included, is written as it is.
/// Also the number and time formats of <c>encoding/json</c> (<see cref="FormatFloat"/>, <see cref="FormatTime"/>);
/// <see cref="GoJsonWriter"/> puts them together.
/// </summary>
public static class GoJson
{
    private static readonly SearchValues<byte> s_special = SearchValues.Create(BuildSpecial());

    /// <summary>Writes <paramref name="utf8"/> as the content of a JSON string (without the quotes), escaped as Go does.</summary>
    public static void WriteEscaped(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (!utf8.IsEmpty)
        {
            var at = utf8.IndexOfAny(s_special);
            if (at < 0)
            {
                output.Write(utf8);
                return;
            }

            output.Write(utf8[..at]);
            utf8 = utf8[at..];
            var b = utf8[0];
            if (b < 0x80)
            {
                output.Write(b switch
                {
                    (byte)'"' => "\\\""u8,
                    (byte)'\\' => "\\\\"u8,
                    (byte)'\b' => "\\b"u8,
                    (byte)'\f' => "\\f"u8,
                    (byte)'\n' => "\\n"u8,
                    (byte)'\r' => "\\r"u8,
                    (byte)'\t' => "\\t"u8,
                    _ => [(byte)'\\', (byte)'u', (byte)'0', (byte)'0', Hex(b >> 4), Hex(b & 0xF)],
                });
                utf8 = utf8[1..];
                continue;
            }

            // Non-ASCII: copied as it is, except U+2028/U+2029 and bytes that are not UTF-8.
            var status = Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                output.Write("\\ufffd"u8);
            }
            else if (rune.Value is 0x2028 or 0x2029)
            {
                output.Write(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
            }
            else
            {
                output.Write(utf8[..consumed]);
            }

            utf8 = utf8[consumed..];
        }
    }

    /// <summary>Writes <paramref name="text"/> as a quoted JSON string, escaped as Go does.</summary>
    public static void WriteString(string text, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(output);
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[512];
            // Lone surrogates become U+FFFD, as Go's UTF-8 would have no way to hold them either.
            var written = Encoding.UTF8.GetBytes(text, buffer);
            output.Write("\""u8);
            WriteEscaped(buffer[..written], output);
            output.Write("\""u8);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The longest text <see cref="FormatFloat"/> writes.</summary>
    public const int MaxFloatLength = 32;

    /// <summary>The longest text <see cref="FormatTime"/> writes, quotes included.</summary>
    public const int MaxTimeLength = 32;

    /// <summary>
    /// Writes a float as <c>encoding/json</c> does: the shortest digits that read back as the same
    /// <c>float64</c> (or <c>float32</c> when <paramref name="bits"/> is 32), laid out as
    /// <c>strconv.AppendFloat(f, 'f', -1, bits)</c> when 1e-6 &lt;= |f| &lt; 1e21, else as <c>'e'</c> with a
    /// negative exponent's leading zero removed (<c>1e-07</c> becomes <c>1e-7</c>; <c>1e+21</c> stays).
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">NaN or an infinity, which Go refuses to marshal.</exception>
    public static int FormatFloat(double value, int bits, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "json: unsupported value (Go marshals no NaN or infinity).");
        }

        if (bits is not (32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "32 or 64.");
        }

        // .NET's "R" is the same shortest round-trip digit string as Go's -1 precision; only the layout differs.
        Span<byte> shortest = stackalloc byte[MaxFloatLength];
        var ok = bits == 32
            ? ((float)value).TryFormat(shortest, out var length, "R", CultureInfo.InvariantCulture)
            : value.TryFormat(shortest, out length, "R", CultureInfo.InvariantCulture);
        if (!ok)
        {
            throw new InvalidOperationException("A float did not fit its buffer.");
        }

        var text = shortest[..length];
        var negative = text[0] == (byte)'-';
        if (negative)
        {
            text = text[1..];
        }

        // Split "d.dddE+xx" into its significant digits and the position of the decimal point.
        var e = text.IndexOfAny((byte)'E', (byte)'e');
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var dot = mantissa.IndexOf((byte)'.');
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        Span<byte> digits = stackalloc byte[MaxFloatLength];
        var count = 0;
        foreach (var c in mantissa)
        {
            if (c == (byte)'.')
            {
                continue;
            }

            if (count == 0 && c == (byte)'0')
            {
                point--;
                continue;
            }

            digits[count++] = c;
        }

        while (count > 0 && digits[count - 1] == (byte)'0')
        {
            count--;
        }

        var written = 0;
        if (negative)
        {
            destination[written++] = (byte)'-';
        }

        if (count == 0)
        {
            destination[written++] = (byte)'0';
            return written;
        }

        var abs = Math.Abs(value);
        var scientific = bits == 64 ? abs is < 1e-6 or >= 1e21 : (float)abs is < 1e-6f or >= 1e21f;
        if (scientific)
        {
            destination[written++] = digits[0];
            if (count > 1)
            {
                destination[written++] = (byte)'.';
                digits[1..count].CopyTo(destination[written..]);
                written += count - 1;
            }

            var power = point - 1;
            destination[written++] = (byte)'e';
            destination[written++] = power < 0 ? (byte)'-' : (byte)'+';
            // Go writes at least two exponent digits; encoding/json then drops the zero of "e-0d" only.
            Math.Abs(power).TryFormat(destination[written..], out var exponentLength, power < 0 ? default : "00", CultureInfo.InvariantCulture);
            return written + exponentLength;
        }

        if (point <= 0)
        {
            "0."u8.CopyTo(destination[written..]);
            written += 2;
            destination.Slice(written, -point).Fill((byte)'0');
            written += -point;
            digits[..count].CopyTo(destination[written..]);
            return written + count;
        }

        if (point >= count)
        {
            digits[..count].CopyTo(destination[written..]);
            written += count;
            destination.Slice(written, point - count).Fill((byte)'0');
            return written + point - count;
        }

        digits[..point].CopyTo(destination[written..]);
        written += point;
        destination[written++] = (byte)'.';
        digits[point..count].CopyTo(destination[written..]);
        return written + count - point;
    }

    /// <summary>
    /// Writes a <c>time.Time</c> as <c>encoding/json</c> does (<c>RFC3339Nano</c>), quoted: in UTC with
    /// <c>Z</c>, the fraction of the second with its trailing zeros trimmed and none when it is zero;
    /// <see cref="DateTimeOffset.MinValue"/> (Go's zero time) is <c>"0001-01-01T00:00:00Z"</c>.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public static int FormatTime(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        destination[0] = (byte)'"';
        utc.TryFormat(destination[1..], out var written, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        written++;
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            destination[written++] = (byte)'.';
            fraction.TryFormat(destination[written..], out var digits, "0000000", CultureInfo.InvariantCulture);
            written += digits;
            while (destination[written - 1] == (byte)'0')
            {
                written--;
            }
        }

        destination[written++] = (byte)'Z';
        destination[written++] = (byte)'"';
        return written;
    }

    /// <summary>A <c>time.Duration</c>: the span in nanoseconds.</summary>
    public static long Nanoseconds(TimeSpan value) => checked(value.Ticks * 100);

    private static byte[] BuildSpecial()
    {
        var bytes = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            bytes.Add((byte)b);
        }

        bytes.AddRange("\"\\<>&"u8.ToArray());
        for (var b = 0x80; b <= 0xFF; b++)
        {
            bytes.Add((byte)b);
        }

        return [.. bytes];
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
