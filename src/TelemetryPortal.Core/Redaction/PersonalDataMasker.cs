using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TelemetryPortal.Core.Redaction;

/// <summary>What a masked piece of text was.</summary>
public enum PersonalDataKind
{
    /// <summary>An e-mail address.</summary>
    Email,

    /// <summary>An IPv4 or IPv6 address.</summary>
    IpAddress,
}

/// <summary>One piece of personal data found in text: bytes <c>[Start, End)</c>.</summary>
internal readonly record struct PersonalDataMatch(int Start, int End, PersonalDataKind Kind);

/// <summary>
/// Finds e-mail addresses and IP addresses (v4 and v6) in free text and replaces them with
/// <see cref="EmailPlaceholder"/> and <see cref="IpPlaceholder"/>. Errs on the side of masking:
/// <c>user@host</c> counts as an e-mail, a version like <c>1.2.3.4</c> as an IP address, and so does
/// code such as <c>std::vector</c> (<c>d::</c> is a valid IPv6 address): text glued to an address
/// is no proof that it is not one.
/// </summary>
public static class PersonalDataMasker
{
    /// <summary>What replaces an e-mail address.</summary>
    public const string EmailPlaceholder = "[email removed]";

    /// <summary>What replaces an IP address.</summary>
    public const string IpPlaceholder = "[ip removed]";

    internal static ReadOnlySpan<byte> EmailPlaceholderUtf8 => "[email removed]"u8;

    internal static ReadOnlySpan<byte> IpPlaceholderUtf8 => "[ip removed]"u8;

    // Every e-mail has '@', every IPv4 '.', every IPv6 ':'; text without them is clean.
    private static readonly SearchValues<byte> s_triggers = SearchValues.Create("@.:"u8);
    private static readonly SearchValues<byte> s_ipv6Chars = SearchValues.Create("0123456789abcdefABCDEF:."u8);

    /// <summary>Masks <paramref name="text"/>; returns it unchanged (same instance) when it holds no personal data.</summary>
    public static string Mask(string text, out int emails, out int ipAddresses)
    {
        ArgumentNullException.ThrowIfNull(text);
        emails = 0;
        ipAddresses = 0;
        var utf8 = Encoding.UTF8.GetBytes(text);
        var matches = new List<PersonalDataMatch>();
        if (!Find(utf8, matches))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var at = 0;
        foreach (var match in matches)
        {
            output.Append(Encoding.UTF8.GetString(utf8, at, match.Start - at));
            output.Append(match.Kind == PersonalDataKind.Email ? EmailPlaceholder : IpPlaceholder);
            at = match.End;
            if (match.Kind == PersonalDataKind.Email)
            {
                emails++;
            }
            else
            {
                ipAddresses++;
            }
        }

        output.Append(Encoding.UTF8.GetString(utf8, at, utf8.Length - at));
        return output.ToString();
    }

    /// <summary>Masks <paramref name="text"/>.</summary>
    public static string Mask(string text) => Mask(text, out _, out _);

    /// <summary>Whether <paramref name="text"/> holds an e-mail or IP address.</summary>
    public static bool ContainsPersonalData(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Find(Encoding.UTF8.GetBytes(text), new List<PersonalDataMatch>());
    }

    /// <summary>Cheap test: text without '@', '.' or ':' cannot hold an address.</summary>
    internal static bool MightContain(ReadOnlySpan<byte> text) =>
        text.ContainsAny(s_triggers) && !IsIsoTimestamp(text);

    /// <summary>Finds addresses, in order and without overlaps; <paramref name="matches"/> is cleared first.</summary>
    internal static bool Find(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        matches.Clear();
        if (!MightContain(text))
        {
            return false;
        }

        FindEmails(text, matches);
        FindIpv4(text, matches);
        FindIpv6(text, matches);
        if (matches.Count > 1)
        {
            matches.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            Merge(matches);
        }

        return matches.Count > 0;
    }

    private static void FindEmails(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var at = text[from..].IndexOf((byte)'@');
            if (at < 0)
            {
                return;
            }

            at += from;
            var start = at;
            while (start > 0 && IsLocalPartByte(text[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < text.Length && IsDomainByte(text[end]))
            {
                end++;
            }

            while (end > at + 1 && text[end - 1] is (byte)'.' or (byte)'-')
            {
                end--;
            }

            if (start < at && end > at + 1)
            {
                matches.Add(new PersonalDataMatch(start, end, PersonalDataKind.Email));
                from = end;
            }
            else
            {
                from = at + 1;
            }
        }
    }

    private static void FindIpv4(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var dot = text[from..].IndexOf((byte)'.');
            if (dot < 0)
            {
                return;
            }

            dot += from;
            var start = dot;
            while (start > 0 && start > dot - 3 && IsDigit(text[start - 1]))
            {
                start--;
            }

            if (start < dot && (start == 0 || !IsDigit(text[start - 1])) && TryParseIpv4(text[start..], out var length))
            {
                matches.Add(new PersonalDataMatch(start, start + length, PersonalDataKind.IpAddress));
                from = start + length;
            }
            else
            {
                from = dot + 1;
            }
        }
    }

    private static bool TryParseIpv4(ReadOnlySpan<byte> text, out int length)
    {
        length = 0;
        var at = 0;
        for (var octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (at >= text.Length || text[at] != '.')
                {
                    return false;
                }

                at++;
            }

            var value = 0;
            var digits = 0;
            while (at < text.Length && IsDigit(text[at]))
            {
                value = (value * 10) + (text[at] - '0');
                digits++;
                at++;
                if (digits > 3)
                {
                    return false;
                }
            }

            if (digits == 0 || value > 255)
            {
                return false;
            }
        }

        length = at;
        return true;
    }

    private static void FindIpv6(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var colon = text[from..].IndexOf((byte)':');
            if (colon < 0)
            {
                return;
            }

            colon += from;
            var start = colon;
            while (start > 0 && s_ipv6Chars.Contains(text[start - 1]))
            {
                start--;
            }

            var end = colon + 1;
            while (end < text.Length && s_ipv6Chars.Contains(text[end]))
            {
                end++;
            }

            from = end;

            // A single ':' before or after the address is punctuation ("host:fe80::1", "at ::1: refused").
            if (end - start > 1 && text[start] == ':' && text[start + 1] != ':')
            {
                start++;
            }

            while (end - start > 1 && (text[end - 1] == '.' || (text[end - 1] == ':' && text[end - 2] != ':')))
            {
                end--;
            }

            // Shorten from the right until it parses: "fe80::1.foo", "fe80::503bcafe" followed by a word.
            for (; end - start > 2; end--)
            {
                var candidate = text[start..end];
                if (candidate.Count((byte)':') >= 2
                    && IPAddress.TryParse(candidate, out var address)
                    && address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    matches.Add(new PersonalDataMatch(start, end, PersonalDataKind.IpAddress));
                    break;
                }
            }
        }
    }

    private static void Merge(List<PersonalDataMatch> matches)
    {
        var kept = 0;
        for (var i = 1; i < matches.Count; i++)
        {
            var last = matches[kept];
            var next = matches[i];
            if (next.Start < last.End)
            {
                // Overlap, e.g. an IP inside an e-mail's domain: one placeholder covers both.
                matches[kept] = last with { End = Math.Max(last.End, next.End) };
            }
            else
            {
                matches[++kept] = next;
            }
        }

        matches.RemoveRange(kept + 1, matches.Count - kept - 1);
    }

    /// <summary>Strictly <c>yyyy-MM-ddTHH:mm:ss[.fffffff](Z|±HH:mm)</c>: cannot hold an address.</summary>
    private static bool IsIsoTimestamp(ReadOnlySpan<byte> s)
    {
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !IsDigit(s[0]) || !IsDigit(s[1]) || !IsDigit(s[2]) || !IsDigit(s[3]) || !IsDigit(s[5]) || !IsDigit(s[6])
            || !IsDigit(s[8]) || !IsDigit(s[9]) || !IsDigit(s[11]) || !IsDigit(s[12]) || !IsDigit(s[14]) || !IsDigit(s[15])
            || !IsDigit(s[17]) || !IsDigit(s[18]))
        {
            return false;
        }

        var at = 19;
        if (s[at] == '.')
        {
            var digitsStart = ++at;
            while (at < s.Length && IsDigit(s[at]))
            {
                at++;
            }

            if (at == digitsStart || at - digitsStart > 9)
            {
                return false;
            }
        }

        var rest = s[at..];
        return rest.Length switch
        {
            1 => rest[0] == 'Z',
            6 => rest[0] is (byte)'+' or (byte)'-' && IsDigit(rest[1]) && IsDigit(rest[2]) && rest[3] == ':' && IsDigit(rest[4]) && IsDigit(rest[5]),
            _ => false,
        };
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsLetterOrDigit(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsWordByte(byte b) => IsLetterOrDigit(b) || b == '_' || b >= 0x80;

    private static bool IsLocalPartByte(byte b) =>
        IsLetterOrDigit(b) || b >= 0x80 || b is (byte)'.' or (byte)'_' or (byte)'%' or (byte)'+' or (byte)'-'
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'*' or (byte)'^' or (byte)'~';

    private static bool IsDomainByte(byte b) => IsLetterOrDigit(b) || b >= 0x80 || b is (byte)'.' or (byte)'-' or (byte)'_';
}
