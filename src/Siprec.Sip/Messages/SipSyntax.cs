using System.Buffers;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// Allocation-free fast paths for the header checks of <see cref="SipHeaderChecks"/> (RFC 3261 §25), run straight on
/// the message bytes with vectorized scans (<see cref="SearchValues{T}"/>); the text overloads narrow ASCII text to
/// bytes first. Each method is a sufficient condition only: true means the string-based parser (<see cref="Via"/>,
/// <see cref="NameAddress"/>, <see cref="SipUri"/>, <see cref="CSeq"/>) accepts the value too; false means "not sure",
/// and the caller falls back to that parser, which then decides and words the error. Unusual forms (quotes, IPv6, URI
/// headers, anything not ASCII) always fall back.
/// </summary>
internal static class SipSyntax
{
    private const int MaxStackBytes = 512;

    /// <summary>One or more comma-separated Via values, each <c>SIP/2.0/transport host[:port]*(;param)</c>.</summary>
    public static bool IsSimpleViaList(ReadOnlySpan<char> value) => OnAscii(value, IsSimpleViaList);

    /// <inheritdoc cref="IsSimpleViaList(ReadOnlySpan{char})"/>
    public static bool IsSimpleViaList(ReadOnlySpan<byte> value)
    {
        if (value.ContainsAny(QuoteOrAngle)) return false;
        var comma = value.IndexOf((byte)',');
        if (comma < 0) return IsSimpleVia(value);
        foreach (var range in value.Split((byte)','))
        {
            if (!IsSimpleVia(TrimLws(value[range]))) return false;
        }
        return true;
    }

    /// <summary>One Via value (RFC 3261 §20.42) with a host name or IPv4 sent-by.</summary>
    private static bool IsSimpleVia(ReadOnlySpan<byte> text)
    {
        var pos = 0;
        if (text.Length > 8 && Ascii.EqualsIgnoreCase(text[..8], "SIP/2.0/"u8))
        {
            pos = 8; // the canonical sent-protocol, as every stack writes it
        }
        else
        {
            if (!ReadToken(text, ref pos, out var protocol) || !Expect(text, ref pos, (byte)'/')) return false;
            if (!ReadToken(text, ref pos, out _) || !Expect(text, ref pos, (byte)'/')) return false;
            if (!Ascii.EqualsIgnoreCase(protocol, "SIP"u8)) return false;
        }
        if (!ReadToken(text, ref pos, out _)) return false;
        SkipWhitespace(text, ref pos);
        var host = Run(text, pos, HostBytes);
        if (host == 0) return false;
        pos += host;
        SkipWhitespace(text, ref pos);
        if (pos < text.Length && text[pos] == (byte)':')
        {
            pos++;
            SkipWhitespace(text, ref pos);
            if (!ReadPort(text, ref pos)) return false;
        }
        return IsSimpleParameters(text[pos..]);
    }

    /// <summary>Comma-separated name-addr/addr-spec values without quotes (Contact, Route, Record-Route).</summary>
    public static bool IsSimpleAddressList(ReadOnlySpan<char> value) => OnAscii(value, IsSimpleAddressList);

    /// <inheritdoc cref="IsSimpleAddressList(ReadOnlySpan{char})"/>
    public static bool IsSimpleAddressList(ReadOnlySpan<byte> value)
    {
        if (value.IndexOf((byte)',') < 0) return IsSimpleNameAddress(value);
        if (value.Contains((byte)'"')) return false;
        var angle = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case (byte)'<': angle++; break;
                case (byte)'>': if (angle > 0) angle--; break;
                case (byte)',' when angle == 0:
                    if (!IsSimpleNameAddress(value[start..i])) return false;
                    start = i + 1;
                    break;
            }
        }
        return IsSimpleNameAddress(value[start..]);
    }

    /// <summary>One name-addr or addr-spec with header parameters and no quoted display name (From, To).</summary>
    public static bool IsSimpleNameAddress(ReadOnlySpan<char> text) => OnAscii(text, IsSimpleNameAddress);

    /// <inheritdoc cref="IsSimpleNameAddress(ReadOnlySpan{char})"/>
    public static bool IsSimpleNameAddress(ReadOnlySpan<byte> text)
    {
        var s = TrimLws(text);
        if (s.IsEmpty) return false;
        ReadOnlySpan<byte> uri, rest;
        var lt = s.IndexOfAny(QuoteOrAngle);
        if (lt >= 0)
        {
            // "display name" <uri> params: exactly one bracket pair, in order (as SipGrammar.IsBalanced requires). The
            // URI and parameter checks below reject any further quote or bracket, so no second scan is needed.
            if (s[lt] != (byte)'<' || s[..lt].ContainsAnyExcept(TokenOrWhitespaceBytes)) return false;
            var gt = s[(lt + 1)..].IndexOfAny(QuoteOrAngle);
            if (gt < 0 || s[lt + 1 + gt] != (byte)'>') return false;
            uri = s.Slice(lt + 1, gt);
            rest = s[(lt + gt + 2)..];
        }
        else
        {
            var end = s.IndexOfAny(AddrSpecEnd);
            uri = end < 0 ? s : s[..end];
            rest = end < 0 ? [] : s[end..];
            if (uri.ContainsAny((byte)',', (byte)'?')) return false;
        }
        return IsSimpleSipUri(uri) && IsSimpleParameters(rest);
    }

    /// <summary>
    /// A sip/sips URI without headers and IPv6 host, or any other scheme (opaque), as <see cref="SipUri.TryParse"/>;
    /// user info and parameter values must be visible ASCII, and so must an opaque part.
    /// </summary>
    public static bool IsSimpleSipUri(ReadOnlySpan<char> text) => OnAscii(text, IsSimpleSipUri);

    /// <inheritdoc cref="IsSimpleSipUri(ReadOnlySpan{char})"/>
    public static bool IsSimpleSipUri(ReadOnlySpan<byte> text)
    {
        var colon = text.IndexOf((byte)':');
        if (colon <= 0 || !char.IsAsciiLetter((char)text[0]) || text[..colon].ContainsAnyExcept(SchemeBytes)) return false;
        var rest = text[(colon + 1)..];
        if (!IsSipScheme(text[..colon]))
        {
            return !rest.IsEmpty && !rest.ContainsAnyExcept(VisibleBytes);
        }
        var at = rest.IndexOf((byte)'@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            if (userInfo.IsEmpty || userInfo[0] == (byte)':' || userInfo.ContainsAnyExcept(UserInfoBytes)) return false;
            rest = rest[(at + 1)..];
        }
        var pos = Run(rest, 0, HostBytes);
        if (pos == 0) return false;
        if (pos < rest.Length && rest[pos] == (byte)':')
        {
            pos++;
            if (!ReadPort(rest, ref pos)) return false;
        }
        return IsSimpleParameters(rest[pos..], allowWhitespace: false);
    }

    /// <summary><c>1*DIGIT LWS Method</c> as <see cref="CSeq.TryParse"/>.</summary>
    public static bool IsCSeq(ReadOnlySpan<char> text) => OnAscii(text, IsCSeq);

    /// <inheritdoc cref="IsCSeq(ReadOnlySpan{char})"/>
    public static bool IsCSeq(ReadOnlySpan<byte> text)
    {
        var trimmed = TrimLws(text);
        var split = 0;
        ulong number = 0;
        while (split < trimmed.Length && char.IsAsciiDigit((char)trimmed[split]))
        {
            number = (number * 10) + (ulong)(trimmed[split] - '0');
            if (number > uint.MaxValue) return false;
            split++;
        }
        if (split == 0 || split == trimmed.Length || trimmed[split] is not ((byte)' ' or (byte)'\t')) return false;
        var method = TrimLws(trimmed[split..]);
        return !method.IsEmpty && !method.ContainsAnyExcept(SipGrammar.TokenBytes);
    }

    /// <summary>
    /// <c>*(; name [= value])</c> as <see cref="SipGrammar.TryParseParameters"/>, in one pass: names are tokens, values
    /// visible ASCII without quotes, angle brackets or inner whitespace (rarer forms fall back).
    /// </summary>
    /// <param name="text">The parameters, from the first ';'.</param>
    /// <param name="allowWhitespace">False inside a URI, where white space is not allowed at all (RFC 3261 §25.1).</param>
    private static bool IsSimpleParameters(ReadOnlySpan<byte> text, bool allowWhitespace = true)
    {
        var pos = 0;
        if (allowWhitespace) SkipWhitespace(text, ref pos);
        if (pos == text.Length) return true;
        while (true)
        {
            if (text[pos] != (byte)';') return false;
            pos++;
            if (allowWhitespace) SkipWhitespace(text, ref pos);
            var name = Run(text, pos, SipGrammar.TokenBytes);
            if (name == 0) return false;
            pos += name;
            if (allowWhitespace) SkipWhitespace(text, ref pos);
            if (pos == text.Length) return true;
            if (text[pos] == (byte)'=')
            {
                pos++;
                if (allowWhitespace) SkipWhitespace(text, ref pos);
                var value = Run(text, pos, ParameterValueBytes);
                if (value == 0) return false;
                pos += value;
                if (allowWhitespace) SkipWhitespace(text, ref pos);
                if (pos == text.Length) return true;
            }
        }
    }

    /// <summary>The parameters of text <see cref="IsSimpleParameters"/> accepted, as <see cref="SipGrammar.TryParseParameters"/> lists them.</summary>
    public static List<KeyValuePair<string, string?>> SimpleParameters(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim();
        if (trimmed.IsEmpty) return new List<KeyValuePair<string, string?>>();
        var items = trimmed[1..];
        var list = new List<KeyValuePair<string, string?>>(items.Count(';') + 1);
        foreach (var range in items.Split(';'))
        {
            var item = items[range].Trim();
            var eq = item.IndexOf('=');
            var name = eq < 0 ? item : item[..eq].Trim();
            list.Add(new KeyValuePair<string, string?>(InternParameterName(name), eq < 0 ? null : item[(eq + 1)..].Trim().ToString()));
        }
        return list;
    }

    private static string InternParameterName(ReadOnlySpan<char> name) => name switch
    {
        "transport" => "transport", "tag" => "tag", "branch" => "branch", "lr" => "lr", "rport" => "rport",
        "received" => "received", "user" => "user", "maddr" => "maddr", "ttl" => "ttl", "method" => "method",
        _ => name.ToString(),
    };

    private static readonly SearchValues<byte> QuoteOrAngle = SearchValues.Create("\"<>"u8);

    private static readonly SearchValues<byte> AddrSpecEnd = SearchValues.Create("; \t"u8);

    private static readonly SearchValues<byte> TokenOrWhitespaceBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~ \t"u8);

    private static readonly SearchValues<byte> SchemeBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."u8);

    private static readonly SearchValues<byte> HostBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._"u8);

    /// <summary>Visible ASCII except <c>&lt; &gt; "</c> (an opaque URI part).</summary>
    private static readonly SearchValues<byte> VisibleBytes = SearchValues.Create(VisibleAsciiExcept("<>\""));

    /// <summary>Visible ASCII except <c>&lt; &gt; "</c> (user info; the full reader unescapes and checks it).</summary>
    private static readonly SearchValues<byte> UserInfoBytes = VisibleBytes;

    /// <summary>Visible ASCII except <c>; " &lt; &gt; ?</c> (a parameter value).</summary>
    private static readonly SearchValues<byte> ParameterValueBytes = SearchValues.Create(VisibleAsciiExcept(";\"<>?"));

    private static byte[] VisibleAsciiExcept(string excluded)
    {
        var bytes = new List<byte>();
        for (var b = (byte)'!'; b < 0x7F; b++)
        {
            if (!excluded.Contains((char)b)) bytes.Add(b);
        }
        return bytes.ToArray();
    }

    private delegate bool ByteCheck(ReadOnlySpan<byte> value);

    /// <summary>Runs <paramref name="check"/> on ASCII <paramref name="text"/> narrowed to bytes; false for anything else, which the fast paths leave to the full parsers.</summary>
    private static bool OnAscii(ReadOnlySpan<char> text, ByteCheck check)
    {
        Span<byte> buffer = text.Length <= MaxStackBytes ? stackalloc byte[text.Length] : new byte[text.Length];
        return Ascii.FromUtf16(text, buffer, out var written) == OperationStatus.Done && written == text.Length && check(buffer);
    }

    /// <summary>The length of the run of <paramref name="allowed"/> bytes at <paramref name="pos"/>.</summary>
    private static int Run(ReadOnlySpan<byte> text, int pos, SearchValues<byte> allowed)
    {
        var length = text[pos..].IndexOfAnyExcept(allowed);
        return length < 0 ? text.Length - pos : length;
    }

    private static bool IsSipScheme(ReadOnlySpan<byte> scheme) =>
        Ascii.EqualsIgnoreCase(scheme, "sip"u8) || Ascii.EqualsIgnoreCase(scheme, "sips"u8);

    /// <summary>1–5 digits up to 65535 at <paramref name="pos"/>, which moves past them.</summary>
    private static bool ReadPort(ReadOnlySpan<byte> text, ref int pos)
    {
        var start = pos;
        var port = 0;
        while (pos < text.Length && char.IsAsciiDigit((char)text[pos]))
        {
            port = (port * 10) + (text[pos] - '0');
            if (port > 65535) return false;
            pos++;
        }
        return pos > start;
    }

    private static bool ReadToken(ReadOnlySpan<byte> text, ref int pos, out ReadOnlySpan<byte> token)
    {
        SkipWhitespace(text, ref pos);
        var length = Run(text, pos, SipGrammar.TokenBytes);
        token = text.Slice(pos, length);
        pos += length;
        return length > 0;
    }

    private static bool Expect(ReadOnlySpan<byte> text, ref int pos, byte c)
    {
        SkipWhitespace(text, ref pos);
        if (pos >= text.Length || text[pos] != c) return false;
        pos++;
        return true;
    }

    private static void SkipWhitespace(ReadOnlySpan<byte> text, ref int pos)
    {
        while (pos < text.Length && text[pos] is (byte)' ' or (byte)'\t') pos++;
    }

    /// <summary>Trims SP and HTAB only (stricter than <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/>, so other white space falls back).</summary>
    private static ReadOnlySpan<byte> TrimLws(ReadOnlySpan<byte> text)
    {
        var start = 0;
        SkipWhitespace(text, ref start);
        var end = text.Length;
        while (end > start && text[end - 1] is (byte)' ' or (byte)'\t') end--;
        return text[start..end];
    }
}
