using System.Buffers;
using System.Globalization;

namespace Siprec.Sip.Messages;

/// <summary>
/// Allocation-free fast paths for the header checks of <see cref="SipHeaderChecks"/> (RFC 3261 §25). Each method is
/// a sufficient condition only: true means the string-based parser (<see cref="Via"/>, <see cref="NameAddress"/>,
/// <see cref="SipUri"/>, <see cref="CSeq"/>) accepts the value too; false means "not sure", and the caller falls back
/// to that parser, which then decides and words the error. Unusual forms (quotes, IPv6, URI headers) always fall back.
/// </summary>
internal static class SipSyntax
{
    /// <summary>One or more comma-separated Via values, each <c>SIP/2.0/transport host[:port]*(;param)</c>.</summary>
    public static bool IsSimpleViaList(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny("\"<>") >= 0) return false;
        if (!value.Contains(',')) return IsSimpleVia(value);
        foreach (var range in value.Split(','))
        {
            if (!IsSimpleVia(value[range].Trim())) return false;
        }
        return true;
    }

    /// <summary>One Via value (RFC 3261 §20.42) with a host name or IPv4 sent-by.</summary>
    public static bool IsSimpleVia(ReadOnlySpan<char> text)
    {
        var pos = 0;
        if (!ReadToken(text, ref pos, out var protocol) || !Expect(text, ref pos, '/')) return false;
        if (!ReadToken(text, ref pos, out _) || !Expect(text, ref pos, '/')) return false;
        if (!ReadToken(text, ref pos, out _)) return false;
        if (!protocol.Equals("SIP", StringComparison.OrdinalIgnoreCase)) return false;
        SkipWhitespace(text, ref pos);
        var hostStart = pos;
        while (pos < text.Length && text[pos] is not (':' or ';' or ' ' or '\t')) pos++;
        if (!IsSimpleHost(text[hostStart..pos])) return false;
        SkipWhitespace(text, ref pos);
        if (pos < text.Length && text[pos] == ':')
        {
            pos++;
            SkipWhitespace(text, ref pos);
            var portStart = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
            if (!IsPort(text[portStart..pos])) return false;
        }
        return IsSimpleParameters(text[pos..]);
    }

    /// <summary>Comma-separated name-addr/addr-spec values without quotes (Contact, Route, Record-Route).</summary>
    public static bool IsSimpleAddressList(ReadOnlySpan<char> value)
    {
        if (value.Contains('"')) return false;
        var angle = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '<': angle++; break;
                case '>': if (angle > 0) angle--; break;
                case ',' when angle == 0:
                    if (!IsSimpleNameAddress(value[start..i])) return false;
                    start = i + 1;
                    break;
            }
        }
        return IsSimpleNameAddress(value[start..]);
    }

    /// <summary>One name-addr or addr-spec with header parameters and no quoted display name (From, To).</summary>
    public static bool IsSimpleNameAddress(ReadOnlySpan<char> text)
    {
        var s = text.Trim();
        if (s.IsEmpty || s.Contains('"')) return false;
        ReadOnlySpan<char> uri, rest;
        var lt = s.IndexOf('<');
        var gt = s.IndexOf('>');
        if (lt >= 0)
        {
            // Exactly one bracket pair, in order: balanced as SipGrammar.IsBalanced requires; other shapes fall back.
            if (gt < lt || s[(lt + 1)..].IndexOfAny('<', '>') != gt - lt - 1 || s[(gt + 1)..].IndexOfAny('<', '>') >= 0) return false;
            foreach (var c in s[..lt].Trim())
            {
                if (!SipGrammar.IsTokenChar(c) && !SipGrammar.IsWhitespace(c)) return false;
            }
            uri = s[(lt + 1)..gt];
            rest = s[(gt + 1)..];
        }
        else
        {
            if (gt >= 0) return false;
            var end = s.IndexOfAny("; \t");
            uri = end < 0 ? s : s[..end];
            rest = end < 0 ? [] : s[end..];
            if (uri.IndexOfAny(",?") >= 0) return false;
        }
        return IsSimpleSipUri(uri) && IsSimpleParameters(rest);
    }

    /// <summary>
    /// A sip/sips URI without headers and IPv6 host, or any other scheme (opaque), as <see cref="SipUri.TryParse"/>.
    /// One pass over host, port and parameters; user info and parameter values must be visible ASCII.
    /// </summary>
    public static bool IsSimpleSipUri(ReadOnlySpan<char> text)
    {
        var colon = 0;
        while (colon < text.Length && (char.IsAsciiLetterOrDigit(text[colon]) || text[colon] is '+' or '-' or '.')) colon++;
        if (colon == 0 || colon == text.Length || text[colon] != ':' || !char.IsAsciiLetter(text[0])) return false;
        var scheme = text[..colon];
        var rest = text[(colon + 1)..];
        if (!scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return !rest.IsEmpty && !rest.ContainsAny(UriForbidden);
        }
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            if (userInfo.IsEmpty || userInfo[0] == ':') return false;
            foreach (var c in userInfo) if (c is <= ' ' or >= '\u007F' or '<' or '>' or '"') return false;
            rest = rest[(at + 1)..];
        }
        var pos = 0;
        while (pos < rest.Length && IsHostChar(rest[pos])) pos++;
        if (pos == 0) return false;
        if (pos < rest.Length && rest[pos] == ':')
        {
            var portStart = ++pos;
            while (pos < rest.Length && char.IsAsciiDigit(rest[pos])) pos++;
            if (!IsPort(rest[portStart..pos])) return false;
        }
        return IsSimpleParameters(rest[pos..], allowWhitespace: false);
    }

    /// <summary><c>1*DIGIT LWS Method</c> as <see cref="CSeq.TryParse"/>.</summary>
    public static bool IsCSeq(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim();
        var split = trimmed.IndexOfAny(' ', '\t');
        if (split <= 0) return false;
        var method = trimmed[split..].Trim();
        if (method.IsEmpty || !SipGrammar.IsToken(method)) return false;
        var number = trimmed[..split];
        foreach (var c in number) if (c is < '0' or > '9') return false;
        return uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>
    /// <c>*(; name [= value])</c> as <see cref="SipGrammar.TryParseParameters"/>, in one pass: names are tokens, values
    /// visible ASCII without quotes, angle brackets or inner whitespace (rarer forms fall back).
    /// </summary>
    /// <param name="text">The parameters, from the first ';'.</param>
    /// <param name="allowWhitespace">False inside a URI, where white space is not allowed at all (RFC 3261 §25.1).</param>
    private static bool IsSimpleParameters(ReadOnlySpan<char> text, bool allowWhitespace = true)
    {
        var pos = 0;
        if (allowWhitespace) SkipWhitespace(text, ref pos);
        if (pos == text.Length) return true;
        while (true)
        {
            if (text[pos] != ';') return false;
            pos++;
            if (allowWhitespace) SkipWhitespace(text, ref pos);
            var nameStart = pos;
            while (pos < text.Length && SipGrammar.IsTokenChar(text[pos])) pos++;
            if (pos == nameStart) return false;
            if (allowWhitespace) SkipWhitespace(text, ref pos);
            if (pos == text.Length) return true;
            if (text[pos] == '=')
            {
                pos++;
                if (allowWhitespace) SkipWhitespace(text, ref pos);
                var valueStart = pos;
                while (pos < text.Length && text[pos] is > ' ' and < '\u007F' and not (';' or '"' or '<' or '>' or '?')) pos++;
                if (pos == valueStart) return false;
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

    private static readonly SearchValues<char> UriForbidden = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F <>\"\u007F");

    private static readonly SearchValues<char> HostChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_';

    private static bool IsSimpleHost(ReadOnlySpan<char> host)
    {
        return !host.IsEmpty && !host.ContainsAnyExcept(HostChars);
    }

    private static bool IsPort(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty) return false;
        var port = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
            port = (port * 10) + (c - '0');
            if (port > 65535) return false;
        }
        return true;
    }

    private static bool ReadToken(ReadOnlySpan<char> text, ref int pos, out ReadOnlySpan<char> token)
    {
        SkipWhitespace(text, ref pos);
        var start = pos;
        var length = text[pos..].IndexOfAnyExcept(SipGrammar.TokenChars);
        pos = length < 0 ? text.Length : pos + length;
        token = text[start..pos];
        return !token.IsEmpty;
    }

    private static bool Expect(ReadOnlySpan<char> text, ref int pos, char c)
    {
        SkipWhitespace(text, ref pos);
        if (pos >= text.Length || text[pos] != c) return false;
        pos++;
        return true;
    }

    private static void SkipWhitespace(ReadOnlySpan<char> text, ref int pos)
    {
        while (pos < text.Length && SipGrammar.IsWhitespace(text[pos])) pos++;
    }
}
