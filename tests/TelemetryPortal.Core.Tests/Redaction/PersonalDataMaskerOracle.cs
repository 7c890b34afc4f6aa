using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TelemetryPortal.Core.Tests.Redaction;

/// <summary>
/// A slow, obviously correct reference for the masker's tests: regular expressions, and for IPv6 every substring tried
/// with <see cref="IPAddress.TryParse(string, out IPAddress)"/>, on the text as written and with its escapes decoded.
/// It is at least as eager as the masker, so text it calls clean must come back from the masker unchanged.
/// </summary>
internal static partial class PersonalDataMaskerOracle
{
    /// <summary>Every address the oracle sees in <paramref name="text"/>, as written or decoded.</summary>
    public static List<string> Addresses(string text)
    {
        var found = new List<string>();
        foreach (var variant in new[] { text, Decode(text) }.Distinct())
        {
            found.AddRange(EmailPattern().Matches(variant).Select(m => m.Value));
            found.AddRange(QuotedEmailPattern().Matches(variant).Select(m => m.Value));
            found.AddRange(BareHostPattern().Matches(variant).Select(m => m.Value));
            found.AddRange(UserInfoPattern().Matches(variant).Select(m => m.Value));
            found.AddRange(Ipv4Pattern().Matches(variant).Select(m => m.Value));
            found.AddRange(DashedIpv4Pattern().Matches(variant).Select(m => m.Value));
            found.AddRange(Ipv6(variant));
        }

        return found;
    }

    /// <summary>Percent and backslash escapes decoded, up to three times over, as the masker promises.</summary>
    public static string Decode(string text)
    {
        for (var round = 0; round < 3; round++)
        {
            var decoded = EscapePattern().Replace(text, m =>
            {
                var value = m.Value switch
                {
                    ['%', ..] => Hex(m.Value[1..]),
                    ['\\', 'u' or 'x', ..] => Hex(m.Value[2..]),
                    _ => m.Value[1],
                };

                // Control characters stay escaped, as the masker leaves them.
                return value is < 0x20 or 0x7F ? m.Value : ((char)value).ToString();
            });
            if (decoded == text)
            {
                break;
            }

            text = decoded;
        }

        return text;
    }

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Ipv6(string text)
    {
        foreach (Match run in Ipv6RunPattern().Matches(text))
        {
            var value = run.Value;
            for (var start = 0; start < value.Length; start++)
            {
                for (var end = start + 3; end <= Math.Min(value.Length, start + 50); end++)
                {
                    var candidate = value[start..end];
                    if (candidate.Count(c => c == ':') >= 2 && candidate.Any(char.IsAsciiHexDigit)
                        && IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        yield return candidate;
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[""\\/']")]
    private static partial Regex EscapePattern();

    // RFC 5322 atext and dots (and any non-ASCII letter), then a domain or an address literal.
    [GeneratedRegex(@"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.\u0080-\uFFFF]+@(?:[A-Za-z0-9._\-\u0080-\uFFFF]*[A-Za-z0-9_\u0080-\uFFFF]|\[[^\]\s]+\])")]
    private static partial Regex EmailPattern();

    // The domain as the masker reads it: a byte above 0x7F (a decoded "%9b" too) may be part of it.
    [GeneratedRegex(@"""[^""\r\n]*""@[A-Za-z0-9._\-\u0080-\uFFFF]+")]
    private static partial Regex QuotedEmailPattern();

    // The host of an address whose local part is not recognised ("[@example.com", "x)@example.com"): it is masked too.
    [GeneratedRegex(@"@[A-Za-z0-9._\-\u0080-\uFFFF]*\.[A-Za-z]{2,}")]
    private static partial Regex BareHostPattern();

    [GeneratedRegex(@"://[^/?#\s@""<>]*@")]
    private static partial Regex UserInfoPattern();

    // No digit boundaries: digits glued to a quad do not make it safe.
    [GeneratedRegex(@"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0{0,2}[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0{0,2}[1-9]?[0-9])){3}")]
    private static partial Regex Ipv4Pattern();

    // Dashed quads stand alone: inside a chain of dashed numbers (a date and time) they are kept on purpose.
    [GeneratedRegex(@"(?<![0-9])(?<![0-9]-)(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0{0,2}[1-9]?[0-9])(?:-(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0{0,2}[1-9]?[0-9])){3}(?!-?[0-9])")]
    private static partial Regex DashedIpv4Pattern();

    [GeneratedRegex(@"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")]
    private static partial Regex Ipv6RunPattern();
}
