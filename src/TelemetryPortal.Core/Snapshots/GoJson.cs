using System.Buffers;
using System.Text;

namespace TelemetryPortal.Core.Snapshots;

/// <summary>
/// JSON text as Go's <c>encoding/json</c> writes it (what a real Coder server sends), for the parts
/// where .NET's writers differ: string escaping. Go escapes <c>"</c> and <c>\</c>, writes <c>\b \f \n \r \t</c>
/// as such and every other byte below 0x20 as <c>\u00xx</c> (lower-case hex); with HTML escaping on (the
/// default of <c>json.Marshal</c>) also <c>&lt; &gt; &amp;</c> as <c>\u003c \u003e \u0026</c>; U+2028 and U+2029 as
/// <c>\u2028 \u2029</c>; invalid UTF-8 as <c>\ufffd</c>. Everything else, non-ASCII included, is written as it is.
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
