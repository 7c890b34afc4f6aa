using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <remarks>
/// What it finds: e-mail addresses with any RFC 5322 local part (every atext character, dots, or quoted), IP literal
/// domains (<c>ada@[10.1.2.3]</c>); the user and password of URL authorities (<c>scheme://user:pass@host</c>: the
/// whole <c>user:pass@host</c> becomes one <see cref="EmailPlaceholder"/>); IPv4 in dotted quads and, inside host
/// names, with dashes (<c>ip-10-1-2-3</c>, <c>10-1-2-3.nip.io</c>); IPv6 in every textual form (compressed, mixed
/// with IPv4, upper case; a zone id such as <c>%eth0</c> is kept). All of it also when percent-encoded
/// (<c>ada%40example.com</c>) or backslash-escaped (<c>ada\u0040example.com</c>), up to three times over; the mask then
/// covers the encoded text. Every search is linear in the length of the text: candidates are bounded by what an
/// address can be (a local part at most 64 bytes, an IPv6 address at most 8 groups), and no byte is read more than a
/// bounded number of times.
/// </remarks>
public static class PersonalDataMasker
{
    /// <summary>What replaces an e-mail address.</summary>
    public const string EmailPlaceholder = "[email removed]";

    /// <summary>What replaces an IP address.</summary>
    public const string IpPlaceholder = "[ip removed]";

    internal static ReadOnlySpan<byte> EmailPlaceholderUtf8 => "[email removed]"u8;

    internal static ReadOnlySpan<byte> IpPlaceholderUtf8 => "[ip removed]"u8;

    /// <summary>RFC 5321's limit; a longer run before '@' is masked in its last 64 bytes.</summary>
    private const int MaxLocalPart = 64;

    /// <summary>"IPv6:" and the longest IPv6 address with a zone id.</summary>
    private const int MaxAddressLiteral = 64;

    private static readonly SearchValues<byte> s_letterOrDigit =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    // Every e-mail has '@', every IPv4 '.' (in host names '-': see HasDashedNumbers), every IPv6 ':'; '%' and '\' may
    // encode any of them.
    private static readonly SearchValues<byte> s_triggers = SearchValues.Create("@.:%\\"u8);

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

        // Built as UTF-8 and decoded once: a megabyte may hold hundreds of thousands of matches.
        var length = utf8.Length;
        foreach (var match in matches)
        {
            length += (match.Kind == PersonalDataKind.Email ? EmailPlaceholderUtf8.Length : IpPlaceholderUtf8.Length) - (match.End - match.Start);
        }

        var output = new ArrayBufferWriter<byte>(length);
        var at = 0;
        foreach (var match in matches)
        {
            output.Write(utf8.AsSpan(at, match.Start - at));
            output.Write(match.Kind == PersonalDataKind.Email ? EmailPlaceholderUtf8 : IpPlaceholderUtf8);
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

        output.Write(utf8.AsSpan(at));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Masks <paramref name="text"/>.</summary>
    public static string Mask(string text) => Mask(text, out _, out _);

    /// <summary>Whether <paramref name="text"/> holds an e-mail or IP address.</summary>
    public static bool ContainsPersonalData(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Find(Encoding.UTF8.GetBytes(text), new List<PersonalDataMatch>());
    }

    /// <summary>
    /// Cheap test, run on every string of a payload: an address needs '@', '.' or ':', or an escape ('%', '\') that may
    /// hide one, or three dashes between digits (a dashed IPv4 in a host name); a lone ISO timestamp or UUID holds none.
    /// </summary>
    internal static bool MightContain(ReadOnlySpan<byte> text) =>
        text.ContainsAny(s_triggers) ? !IsIsoTimestamp(text) : HasDashedNumbers(text);

    private static bool HasDashedNumbers(ReadOnlySpan<byte> text)
    {
        // A UUID's dashes are five bytes apart; a dashed quad needs three at most four apart.
        var from = text.IndexOf((byte)'-');
        if (from < 0 || IsUuidShaped(text))
        {
            return false;
        }

        var found = 0;
        while (from < text.Length)
        {
            var dash = text[from..].IndexOf((byte)'-');
            if (dash < 0)
            {
                return false;
            }

            dash += from;
            if (dash > 0 && dash + 1 < text.Length && IsDigit(text[dash - 1]) && IsDigit(text[dash + 1]) && ++found == 3)
            {
                return true;
            }

            from = dash + 1;
        }

        return false;
    }

    private static bool IsUuidShaped(ReadOnlySpan<byte> s) =>
        s.Length == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' && s.Count((byte)'-') == 4;

    /// <summary>Finds addresses, in order and without overlaps; <paramref name="matches"/> is cleared first.</summary>
    internal static bool Find(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        matches.Clear();
        if (!MightContain(text))
        {
            return false;
        }

        // Every finder adds its matches in order: a run. Merging the runs costs less than sorting them all.
        Span<int> runEnds = stackalloc int[2 * Finders];
        FindAll(text, matches, runEnds[..Finders]);
        var runs = Finders;
        using (var decoded = DecodedText.TryDecode(text))
        {
            if (decoded is not null)
            {
                // What hides behind escapes is found in the decoded text, then masked where it is written.
                var first = matches.Count;
                FindAll(decoded.Text, matches, runEnds[Finders..]);
                runs += Finders;
                for (var i = first; i < matches.Count; i++)
                {
                    var match = matches[i];
                    matches[i] = match with { Start = decoded.OriginalStart(match.Start), End = decoded.OriginalEnd(match.End) };
                }
            }
        }

        if (matches.Count > 1)
        {
            MergeRuns(matches, runEnds[..runs]);
            Merge(matches);
        }

        return matches.Count > 0;
    }

    private const int Finders = 5;

    private static void FindAll(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches, Span<int> runEnds)
    {
        FindEmails(text, matches);
        runEnds[0] = matches.Count;
        FindAuthorities(text, matches);
        runEnds[1] = matches.Count;
        FindDottedIpv4(text, matches);
        runEnds[2] = matches.Count;
        FindDashedIpv4(text, matches);
        runEnds[3] = matches.Count;
        FindIpv6(text, matches);
        runEnds[4] = matches.Count;
    }

    /// <summary>Sorts <paramref name="matches"/>, made of runs that are each in order, by merging runs pairwise.</summary>
    private static void MergeRuns(List<PersonalDataMatch> matches, ReadOnlySpan<int> runEnds)
    {
        Span<int> bounds = stackalloc int[runEnds.Length + 1];
        var count = 0;
        foreach (var end in runEnds)
        {
            if (end > (count == 0 ? 0 : bounds[count]))
            {
                bounds[++count] = end;
            }
        }

        if (count <= 1)
        {
            return;
        }

        var span = CollectionsMarshal.AsSpan(matches);
        var rented = ArrayPool<PersonalDataMatch>.Shared.Rent(span.Length);
        var source = span;
        var target = rented.AsSpan(0, span.Length);
        while (count > 1)
        {
            var merged = 0;
            for (var run = 0; run < count; run += 2)
            {
                var start = bounds[run];
                var middle = bounds[run + 1];
                var end = run + 2 <= count ? bounds[run + 2] : middle;
                MergeTwo(source[start..middle], source[middle..end], target[start..end]);
                bounds[++merged] = end;
            }

            count = merged;
            var swap = source;
            source = target;
            target = swap;
        }

        if (!Unsafe.AreSame(ref source[0], ref span[0]))
        {
            source.CopyTo(span);
        }

        ArrayPool<PersonalDataMatch>.Shared.Return(rented);
    }

    private static void MergeTwo(ReadOnlySpan<PersonalDataMatch> left, ReadOnlySpan<PersonalDataMatch> right, Span<PersonalDataMatch> target)
    {
        int l = 0, r = 0, t = 0;
        while (l < left.Length && r < right.Length)
        {
            target[t++] = default(ByStart).Compare(right[r], left[l]) < 0 ? right[r++] : left[l++];
        }

        left[l..].CopyTo(target[t..]);
        right[r..].CopyTo(target[(t + left.Length - l)..]);
    }

    /// <summary>
    /// <c>local@domain</c>: the local part is the run of atext and dots before '@' (at most 64 bytes, as RFC 5321 allows),
    /// or a quoted string; the domain a host name or an IP literal in brackets.
    /// </summary>
    private static void FindEmails(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        var from = 0;
        var floor = 0;
        while (from < text.Length)
        {
            var at = text[from..].IndexOf((byte)'@');
            if (at < 0)
            {
                return;
            }

            at += from;
            var start = LocalPartStart(text, at, floor);
            var end = DomainEnd(text, at);
            if (start == at && end > at + 1 && LooksLikeHost(text[(at + 1)..end]))
            {
                // No local part that reads as one ("[@host", "x)@host" once decoded), but the host of an address:
                // "@host" goes, rather than leave the domain that names the person's employer.
                start = at;
            }
            else if (start == at)
            {
                from = at + 1;
                continue;
            }

            if (end > at + 1)
            {
                // 'ada@example.com' and `ada@example.com`: the quotes are around the address, not in it.
                if (at - start > 1 && end < text.Length && Closing(text[start]) is { } closing && text[end] == closing)
                {
                    start++;
                }

                matches.Add(new PersonalDataMatch(start, end, PersonalDataKind.Email));
                from = end;
                floor = end;
            }
            else
            {
                from = at + 1;
            }
        }
    }

    private static int LocalPartStart(ReadOnlySpan<byte> text, int at, int floor)
    {
        var limit = Math.Max(floor, at - MaxLocalPart);
        if (at > floor && text[at - 1] == '"')
        {
            // A quoted local part ("ada lovelace"@example.com). Without a plausible opening quote it is no e-mail:
            // a quoted npm scope ("@types/node") is not one.
            for (var i = at - 2; i >= limit; i--)
            {
                if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
                {
                    return IsQuotedLocalPart(text[(i + 1)..(at - 1)]) ? i : at;
                }

                if (text[i] is (byte)'@' or (byte)'\n' or (byte)'\r')
                {
                    break;
                }
            }

            return at;
        }

        var start = at;
        while (start > limit && IsLocalPartByte(text[start - 1]))
        {
            start--;
        }

        // Cut at 64 bytes: never inside a UTF-8 character.
        while (start > floor && start < at && IsContinuationByte(text[start]) && IsLocalPartByte(text[start - 1]))
        {
            start--;
        }

        // "https://ada@host": the slashes belong to the URL.
        while (start < at - 1 && text[start] == '/')
        {
            start++;
        }

        return start;
    }

    /// <summary>Not blank at either end and holding a letter or digit: <c>ada lovelace</c>, not <c>, </c>.</summary>
    private static bool IsQuotedLocalPart(ReadOnlySpan<byte> content) =>
        content.Length > 0 && content[0] != ' ' && content[^1] != ' ' && content.IndexOfAny(s_letterOrDigit) >= 0;

    /// <summary>A host name with a top-level domain of letters (<c>example.com</c>); an IP literal is found as an IP.</summary>
    private static bool LooksLikeHost(ReadOnlySpan<byte> domain)
    {
        var dot = domain.LastIndexOf((byte)'.');
        if (dot <= 0 || domain.Length - dot - 1 < 2)
        {
            return false;
        }

        foreach (var b in domain[(dot + 1)..])
        {
            if ((uint)((b | 0x20) - 'a') > 'z' - 'a')
            {
                return false;
            }
        }

        return true;
    }

    private static int DomainEnd(ReadOnlySpan<byte> text, int at)
    {
        var end = at + 1;
        if (end < text.Length && text[end] == '[')
        {
            // An address literal: ada@[10.1.2.3], ada@[IPv6:2001:db8::1].
            var close = end + 1;
            var limit = Math.Min(text.Length, end + 1 + MaxAddressLiteral);
            while (close < limit && (IsLetterOrDigit(text[close]) || text[close] is (byte)':' or (byte)'.' or (byte)'%' or (byte)'-'))
            {
                close++;
            }

            return close > end + 1 && close < text.Length && text[close] == ']' ? close + 1 : at + 1;
        }

        while (end < text.Length && IsDomainByte(text[end]))
        {
            end++;
        }

        while (end > at + 1 && text[end - 1] is (byte)'.' or (byte)'-')
        {
            end--;
        }

        return end;
    }

    private static byte? Closing(byte opening) => opening switch
    {
        (byte)'\'' => (byte)'\'',
        (byte)'`' => (byte)'`',
        (byte)'{' => (byte)'}',
        (byte)'|' => (byte)'|',
        _ => null,
    };

    /// <summary>
    /// <c>scheme://user:password@host</c>: everything from the user to the end of the host is one e-mail match, so neither
    /// the user nor the password remains. The authority ends at '/', '?', '#', white space or a quote, so authorities never
    /// overlap and each byte is read at most twice.
    /// </summary>
    private static void FindAuthorities(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var scheme = text[from..].IndexOf("://"u8);
            if (scheme < 0)
            {
                return;
            }

            var start = from + scheme + 3;
            var end = start;
            var lastAt = -1;
            while (end < text.Length && IsAuthorityByte(text[end]))
            {
                if (text[end] == '@')
                {
                    lastAt = end;
                }

                end++;
            }

            if (lastAt > start)
            {
                var host = lastAt + 1;
                if (host < end && text[host] == '[')
                {
                    var close = text[host..end].IndexOf((byte)']');
                    host = close < 0 ? end : host + close + 1;
                }
                else
                {
                    while (host < end && IsDomainByte(text[host]))
                    {
                        host++;
                    }
                }

                matches.Add(new PersonalDataMatch(start, host, PersonalDataKind.Email));
            }

            // The next "://" may start at the ':' that ended this authority ("a://x:https://ada:pw@host").
            from = Math.Max(end - 1, start - 1);
        }
    }

    /// <summary>
    /// Dotted quads anywhere, also glued to letters (<c>host10.1.2.3</c>) or digits: "1.2.3.464.223.93.244" holds two
    /// addresses, so digits glued to a quad are masked with it (<c>256.1.1.1</c> reads as 2 and 56.1.1.1). Each dot tries
    /// at most three starts, each a bounded parse (15 bytes).
    /// </summary>
    private static void FindDottedIpv4(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
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
            var length = 0;
            var start = dot;
            while (start > 0 && start > dot - 3 && IsDigit(text[start - 1]))
            {
                start--;
            }

            // The longest first octet that gives an address: "464.223.93.244" is not one, "64.223.93.244" is.
            for (; start < dot && !TryParseIpv4(text[start..], (byte)'.', out length, glued: true); start++)
            {
            }

            if (start < dot)
            {
                var end = start + length;
                while (start > 0 && IsDigit(text[start - 1]))
                {
                    start--;
                }

                end = GluedDigitsEnd(text, end);
                matches.Add(new PersonalDataMatch(start, end, PersonalDataKind.IpAddress));
                from = end;
            }
            else
            {
                from = dot + 1;
            }
        }
    }

    /// <summary>
    /// Dashed quads as host names write them (<c>ip-10-1-2-3</c>, <c>ec2-203-0-113-9.compute-1.amazonaws.com</c>,
    /// <c>10-1-2-3.nip.io</c>), also glued to letters or (after the last octet) digits, but not inside a longer chain of
    /// dashed numbers (<c>backup-2024-05-01-12-00</c>). Each dash starts at most one bounded parse (15 bytes).
    /// </summary>
    private static void FindDashedIpv4(ReadOnlySpan<byte> text, List<PersonalDataMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var dash = text[from..].IndexOf((byte)'-');
            if (dash < 0)
            {
                return;
            }

            dash += from;
            var start = dash;
            while (start > 0 && start > dash - 3 && IsDigit(text[start - 1]))
            {
                start--;
            }

            if (start < dash
                && (start == 0 || !IsDigit(text[start - 1]))
                && !FollowsDashedNumber(text[..start])
                && TryParseIpv4(text[start..], (byte)'-', out var length, glued: true)
                && GluedDigitsEnd(text, start + length) is var glued
                && (!ContinuesDashedNumber(text[glued..]) || glued > start + length))
            {
                // A quad whose last octet runs into digits that start a dashed chain ("137-13-253-1552024-05-01") is an
                // address glued to a date: the quad goes, the chain stays.
                var end = ContinuesDashedNumber(text[glued..]) ? start + length : glued;
                matches.Add(new PersonalDataMatch(start, end, PersonalDataKind.IpAddress));
                from = end;
            }
            else
            {
                from = dash + 1;
            }
        }
    }

    /// <summary>Whether <paramref name="before"/> ends in "number-" ("2024-05-"), not "word-" ("ip-", "ec2-").</summary>
    private static bool FollowsDashedNumber(ReadOnlySpan<byte> before)
    {
        if (before.Length < 2 || before[^1] != '-' || !IsDigit(before[^2]))
        {
            return false;
        }

        // Look back a bounded distance: a longer run of digits counts as a number.
        for (var i = before.Length - 3; i >= 0 && i >= before.Length - 10; i--)
        {
            if (!IsDigit(before[i]))
            {
                return !IsLetterOrDigit(before[i]) && before[i] < 0x80;
            }
        }

        return true;
    }

    private static int GluedDigitsEnd(ReadOnlySpan<byte> text, int end)
    {
        while (end < text.Length && IsDigit(text[end]))
        {
            end++;
        }

        return end;
    }

    private static bool ContinuesDashedNumber(ReadOnlySpan<byte> rest) =>
        rest.Length > 1 && rest[0] == '-' && IsDigit(rest[1]);

    /// <summary>
    /// Four decimal octets (at most three digits, at most 255) joined by <paramref name="separator"/>. When
    /// <paramref name="glued"/>, the last octet may run into more digits: "1.2.3.464" holds 1.2.3.46.
    /// </summary>
    private static bool TryParseIpv4(ReadOnlySpan<byte> text, byte separator, out int length, bool glued = false)
    {
        length = 0;
        var at = 0;
        for (var octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (at >= text.Length || text[at] != separator)
                {
                    return false;
                }

                at++;
            }

            var value = 0;
            var digits = 0;
            while (at < text.Length && IsDigit(text[at]))
            {
                var next = (value * 10) + (text[at] - '0');
                if (glued && octet == 3 && digits > 0 && (digits == 3 || next > 255))
                {
                    break;
                }

                value = next;
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

    /// <summary>
    /// IPv6, in one left-to-right pass over the colons. A candidate starts at the group before a colon (its last four hex
    /// digits: <c>cafe2001:db8::1</c> starts at <c>2001</c>) or at a "::"; from there <see cref="ParseIpv6"/> reads at most
    /// eight groups and keeps the longest valid address, which then takes in the hex words glued to it on either side.
    /// Candidates start after the last match, each parse reads at most 45 bytes and each glued word is read once, so
    /// the whole search is linear.
    /// </summary>
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
            while (start > from && start > colon - 4 && IsHexDigit(text[start - 1]))
            {
                start--;
            }

            var end = start < colon ? ParseIpv6(text, start) : -1;
            if (end < 0 && colon + 1 < text.Length && text[colon + 1] == ':')
            {
                start = colon;
                end = ParseIpv6(text, colon);
            }

            if (end > 0)
            {
                // The hex word an address is glued to goes with it: what is left of "1.2.3.4215f:4d13:..." must not be
                // "1.2.3.4", nor of "fe80::12345.6.7.8" "5.6.7.8".
                while (start > from && IsHexDigit(text[start - 1]))
                {
                    start--;
                }

                while (end < text.Length && IsHexDigit(text[end]))
                {
                    end++;
                }

                matches.Add(new PersonalDataMatch(start, end, PersonalDataKind.IpAddress));
                from = end;
            }
            else
            {
                from = colon + 1;
            }
        }
    }

    /// <summary>
    /// The end of the longest IPv6 address starting at <paramref name="start"/> (a hex digit, or "::"), or -1. An address
    /// needs a hex digit ("::" alone is not masked), eight groups or a "::", and may end in a dotted quad; it may end inside
    /// a word (<c>fe80::1.foo</c>, <c>fe80::503bcafe</c>).
    /// </summary>
    private static int ParseIpv6(ReadOnlySpan<byte> text, int start)
    {
        var at = start;
        var groups = 0;
        var compressed = false;
        var best = -1;
        if (text[at] == ':')
        {
            at += 2;
            compressed = true;
        }

        while (true)
        {
            var hex = at;
            while (hex < text.Length && hex - at < 5 && IsHexDigit(text[hex]))
            {
                hex++;
            }

            var digits = hex - at;
            if (digits == 0)
            {
                return best;
            }

            if (digits <= 3 && hex < text.Length && text[hex] == '.' && TryParseIpv4(text[at..], (byte)'.', out var v4))
            {
                // A dotted quad stands for the last two groups.
                return (compressed ? groups + 2 <= 7 : groups + 2 == 8) ? at + v4 : best;
            }

            groups++;
            if (groups > (compressed ? 7 : 8))
            {
                return best;
            }

            at += Math.Min(digits, 4);
            if (compressed || groups == 8)
            {
                best = at;
            }

            if (digits > 4 || at >= text.Length || text[at] != ':')
            {
                return best;
            }

            if (at + 1 < text.Length && text[at + 1] == ':')
            {
                if (compressed || groups == 8)
                {
                    return best;
                }

                compressed = true;
                at += 2;
                best = at;
            }
            else
            {
                at++;
            }
        }
    }

    /// <summary>By start, e-mails first: an IP inside an e-mail's domain goes into the e-mail's placeholder.</summary>
    private readonly struct ByStart : IComparer<PersonalDataMatch>
    {
        public int Compare(PersonalDataMatch x, PersonalDataMatch y) =>
            x.Start != y.Start ? x.Start.CompareTo(y.Start) : x.Kind.CompareTo(y.Kind);
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

    private static bool IsHexDigit(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 'f' - 'a';

    private static bool IsLetterOrDigit(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsContinuationByte(byte b) => (b & 0xC0) == 0x80;

    /// <summary>RFC 5322 atext and dots, and UTF-8 (RFC 6531).</summary>
    private static bool IsLocalPartByte(byte b) =>
        IsLetterOrDigit(b) || b >= 0x80 || b is (byte)'.' or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&'
            or (byte)'\'' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/' or (byte)'=' or (byte)'?' or (byte)'^'
            or (byte)'_' or (byte)'`' or (byte)'{' or (byte)'|' or (byte)'}' or (byte)'~';

    private static bool IsDomainByte(byte b) => IsLetterOrDigit(b) || b >= 0x80 || b is (byte)'.' or (byte)'-' or (byte)'_';

    /// <summary>RFC 3986's authority: unreserved, percent-encoded, sub-delims, ':', '@' and brackets; and UTF-8.</summary>
    private static bool IsAuthorityByte(byte b) =>
        IsLetterOrDigit(b) || b >= 0x80 || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'%' or (byte)'!'
            or (byte)'$' or (byte)'&' or (byte)'\'' or (byte)'(' or (byte)')' or (byte)'*' or (byte)'+' or (byte)','
            or (byte)';' or (byte)'=' or (byte)':' or (byte)'@' or (byte)'[' or (byte)']';
}
