using System.Buffers;
using System.Text;

namespace TelemetryPortal.Core.Redaction;

/// <summary>
/// Text with its percent escapes (<c>%40</c>) and backslash escapes (<c>\u0040</c>, <c>\x40</c>, <c>\"</c>, <c>\\</c>, <c>\/</c>)
/// decoded, up to <see cref="MaxRounds"/> times over (<c>%2540</c>, <c>\\u0040</c>), and for every decoded byte the
/// range of original bytes it came from, so that a match found in the decoded text masks the encoded text.
/// Linear: each round reads every byte once. The arrays are rented; dispose to return them.
/// </summary>
internal sealed class DecodedText : IDisposable
{
    /// <summary>Text encoded more than three times over is not something people or machines write.</summary>
    private const int MaxRounds = 3;

    private byte[] _text;
    private int[] _starts;
    private int[] _ends;
    private byte[] _spare;
    private int[] _spareStarts;
    private int[] _spareEnds;

    private DecodedText(int capacity)
    {
        _text = ArrayPool<byte>.Shared.Rent(capacity);
        _starts = ArrayPool<int>.Shared.Rent(capacity);
        _ends = ArrayPool<int>.Shared.Rent(capacity);
        _spare = ArrayPool<byte>.Shared.Rent(capacity);
        _spareStarts = ArrayPool<int>.Shared.Rent(capacity);
        _spareEnds = ArrayPool<int>.Shared.Rent(capacity);
    }

    /// <summary>The decoded bytes.</summary>
    public ReadOnlySpan<byte> Text => _text.AsSpan(0, Length);

    public int Length { get; private set; }

    /// <summary>Where decoded byte <paramref name="start"/> begins in the original text.</summary>
    public int OriginalStart(int start) => _starts[start];

    /// <summary>Where the decoded range ending (exclusively) at <paramref name="end"/> ends in the original text.</summary>
    public int OriginalEnd(int end) => _ends[end - 1];

    /// <summary>Decodes <paramref name="text"/>; null when it holds no escape.</summary>
    public static DecodedText? TryDecode(ReadOnlySpan<byte> text)
    {
        var first = text.IndexOfAny((byte)'%', (byte)'\\');
        if (first < 0 || !HasEscape(text[first..]))
        {
            return null;
        }

        var decoded = new DecodedText(text.Length);
        decoded.Length = Round(text, null, null, decoded._text, decoded._starts, decoded._ends);
        for (var round = 1; round < MaxRounds && HasEscape(decoded.Text); round++)
        {
            decoded.Length = Round(decoded.Text, decoded._starts, decoded._ends, decoded._spare, decoded._spareStarts, decoded._spareEnds);
            (decoded._text, decoded._spare) = (decoded._spare, decoded._text);
            (decoded._starts, decoded._spareStarts) = (decoded._spareStarts, decoded._starts);
            (decoded._ends, decoded._spareEnds) = (decoded._spareEnds, decoded._ends);
        }

        return decoded;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_text);
        ArrayPool<int>.Shared.Return(_starts);
        ArrayPool<int>.Shared.Return(_ends);
        ArrayPool<byte>.Shared.Return(_spare);
        ArrayPool<int>.Shared.Return(_spareStarts);
        ArrayPool<int>.Shared.Return(_spareEnds);
    }

    private static bool HasEscape(ReadOnlySpan<byte> text)
    {
        for (var at = text.IndexOfAny((byte)'%', (byte)'\\'); at >= 0; at = NextCandidate(text, at))
        {
            if (Escape(text[at..], out _, out _) > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int NextCandidate(ReadOnlySpan<byte> text, int at)
    {
        var next = text[(at + 1)..].IndexOfAny((byte)'%', (byte)'\\');
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>One round: decodes every escape once, carrying the original ranges of <paramref name="starts"/>/<paramref name="ends"/> (null: identity).</summary>
    private static int Round(ReadOnlySpan<byte> source, int[]? starts, int[]? ends, Span<byte> target, Span<int> targetStarts, Span<int> targetEnds)
    {
        var written = 0;
        var at = 0;
        Span<byte> scratch = stackalloc byte[4];
        while (at < source.Length)
        {
            var value = 0;
            var raw = true;
            var consumed = source[at] is (byte)'%' or (byte)'\\' ? Escape(source[at..], out value, out raw) : 0;
            int length;
            if (consumed == 0)
            {
                consumed = 1;
                length = 1;
                scratch[0] = source[at];
            }
            else if (raw)
            {
                length = 1;
                scratch[0] = (byte)value;
            }
            else
            {
                length = new Rune(value).EncodeToUtf8(scratch);
            }

            var start = starts is null ? at : starts[at];
            var end = ends is null ? at + consumed : ends[at + consumed - 1];
            for (var i = 0; i < length; i++)
            {
                target[written] = scratch[i];
                targetStarts[written] = start;
                targetEnds[written] = end;
                written++;
            }

            at += consumed;
        }

        return written;
    }

    /// <summary>
    /// The escape at the start of <paramref name="text"/>: how many bytes it takes (0 for none) and what it stands for,
    /// one <paramref name="raw"/> byte (<c>%XX</c>, <c>\xXX</c>) or a code point to write as UTF-8, never longer than the escape.
    /// </summary>
    private static int Escape(ReadOnlySpan<byte> text, out int value, out bool raw)
    {
        value = 0;
        raw = true;
        if (text.Length < 2)
        {
            return 0;
        }

        if (text[0] == '%')
        {
            return text.Length >= 3 && TryHex(text.Slice(1, 2), out value) && !IsControl(value) ? 3 : 0;
        }

        switch (text[1])
        {
            case (byte)'x' when text.Length >= 4 && TryHex(text.Slice(2, 2), out value) && !IsControl(value):
                return 4;
            case (byte)'u' when text.Length >= 6 && TryHex(text.Slice(2, 4), out value) && !IsControl(value):
                raw = false;
                if (char.IsHighSurrogate((char)value) && text.Length >= 12 && text[6] == '\\' && text[7] == 'u'
                    && TryHex(text.Slice(8, 4), out var low) && char.IsLowSurrogate((char)low))
                {
                    value = char.ConvertToUtf32((char)value, (char)low);
                    return 12;
                }

                // A lone surrogate stands for no character: leave it as written.
                return char.IsSurrogate((char)value) ? 0 : 6;
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'\'':
                value = text[1];
                return 2;
            default:
                return 0;
        }
    }

    /// <summary>
    /// Control characters (<c>%06</c>, <c>\n</c>) stay as written: none can be part of an address, and decoding one can
    /// break an address apart (<c>ada%06@example.com</c> has <c>%06</c> in its local part).
    /// </summary>
    private static bool IsControl(int value) => value is < 0x20 or 0x7F;

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        return true;
    }
}
