using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// A SIP or SIPS URI (RFC 3261 §19.1). Other schemes (tel:, unknown ones) parse with an <see cref="Opaque"/>
/// part so a request carrying them can still be answered (416). Escapes are kept as received.
/// </summary>
public sealed record SipUri
{
    /// <summary>The scheme, lower-case (<c>sip</c>, <c>sips</c>, or another for opaque URIs).</summary>
    public string Scheme { get; init; } = "sip";

    /// <summary>The user part, escapes kept (may contain <c>;</c> per RFC 4475 §3.1.1.9); null when absent.</summary>
    public string? User { get; init; }

    /// <summary>The password after <c>user:</c>, when present (discouraged by RFC 3261 but legal).</summary>
    public string? Password { get; init; }

    /// <summary>Host name or IP literal (IPv6 with brackets); empty for opaque URIs.</summary>
    public string Host { get; init; } = "";

    /// <summary>The port, when written.</summary>
    public int? Port { get; init; }

    /// <summary>uri-parameters in order; a null value is a parameter without <c>=</c> (e.g. <c>lr</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; init; } = Array.Empty<KeyValuePair<string, string?>>();

    /// <summary>The <c>?h=v&amp;…</c> headers, escapes kept.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>For non-SIP schemes, everything after <c>scheme:</c>; null for sip/sips.</summary>
    public string? Opaque { get; init; }

    /// <summary>The transport parameter, lower-case, or null.</summary>
    public string? Transport => SipGrammar.Find(Parameters, "transport")?.ToLowerInvariant();

    /// <summary>True for <c>sip</c> and <c>sips</c> URIs.</summary>
    public bool IsSip => Opaque is null;

    /// <summary>The value of uri-parameter <paramref name="name"/> (empty string for a flag parameter), or null.</summary>
    public string? GetParameter(string name) => SipGrammar.Find(Parameters, name);

    /// <summary>A copy with parameter <paramref name="name"/> set (replaced in place or appended).</summary>
    public SipUri WithParameter(string name, string? value) => this with { Parameters = SipGrammar.With(Parameters, name, value) };

    /// <summary>Parses a URI; false (never throws) when it does not follow RFC 3261 §25 closely enough.</summary>
    public static bool TryParse(string text, out SipUri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(text)) return false;
        return TryParseSimple(text, out uri) || TryParseGeneral(text, out uri);
    }

    /// <summary>The general reader behind <see cref="TryParse"/>: every form, one substring per step.</summary>
    internal static bool TryParseGeneral(string text, out SipUri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(text)) return false;
        foreach (var c in text) if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7F) return false;
        var colon = text.IndexOf(':');
        if (colon <= 0) return false;
        var scheme = text[..colon];
        if (!char.IsAsciiLetter(scheme[0])) return false;
        foreach (var c in scheme) if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) return false;
        scheme = scheme.ToLowerInvariant();
        var rest = text[(colon + 1)..];
        if (scheme is not ("sip" or "sips"))
        {
            if (rest.Length == 0) return false;
            uri = new SipUri { Scheme = scheme, Opaque = rest };
            return true;
        }

        string? user = null, password = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            if (userInfo.Length == 0) return false;
            var pw = userInfo.IndexOf(':');
            user = pw < 0 ? userInfo : userInfo[..pw];
            password = pw < 0 ? null : userInfo[(pw + 1)..];
            if (user.Length == 0) return false;
        }

        var headersText = "";
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            headersText = rest[(q + 1)..];
            rest = rest[..q];
        }
        var paramsText = "";
        var semi = rest.IndexOf(';');
        if (semi >= 0)
        {
            paramsText = rest[semi..];
            rest = rest[..semi];
        }
        if (!TrySplitHostPort(rest, out var host, out var port)) return false;
        if (!SipGrammar.TryParseParameters(paramsText, out var parameters)) return false;
        var headers = new List<KeyValuePair<string, string>>();
        if (q >= 0)
        {
            foreach (var pair in headersText.Split('&'))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) return false;
                headers.Add(new KeyValuePair<string, string>(pair[..eq], pair[(eq + 1)..]));
            }
        }
        uri = new SipUri
        {
            Scheme = scheme, User = user, Password = password, Host = host, Port = port,
            Parameters = parameters, Headers = headers,
        };
        return true;
    }

    /// <summary>
    /// The common forms (see <see cref="SipSyntax.IsSimpleSipUri(ReadOnlySpan{char})"/>) read from a span with one string per part;
    /// false means "not simple", and <see cref="TryParse"/>'s general reader decides. Same result as that reader.
    /// </summary>
    internal static bool TryParseSimple(ReadOnlySpan<char> text, out SipUri? uri)
    {
        uri = null;
        if (!SipSyntax.IsSimpleSipUri(text)) return false;
        var colon = text.IndexOf(':');
        var schemeText = text[..colon];
        var rest = text[(colon + 1)..];
        var scheme = schemeText.Equals("sip", StringComparison.OrdinalIgnoreCase) ? "sip"
            : schemeText.Equals("sips", StringComparison.OrdinalIgnoreCase) ? "sips" : null;
        if (scheme is null)
        {
            uri = new SipUri { Scheme = schemeText.ToString().ToLowerInvariant(), Opaque = rest.ToString() };
            return true;
        }
        string? user = null, password = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var pw = userInfo.IndexOf(':');
            user = (pw < 0 ? userInfo : userInfo[..pw]).ToString();
            password = pw < 0 ? null : userInfo[(pw + 1)..].ToString();
        }
        var semi = rest.IndexOf(';');
        var hostPort = semi < 0 ? rest : rest[..semi];
        var portColon = hostPort.LastIndexOf(':');
        uri = new SipUri
        {
            Scheme = scheme, User = user, Password = password,
            Host = (portColon < 0 ? hostPort : hostPort[..portColon]).ToString(),
            Port = portColon < 0 ? null : int.Parse(hostPort[(portColon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture),
            Parameters = SipSyntax.SimpleParameters(semi < 0 ? [] : rest[semi..]),
            Headers = new List<KeyValuePair<string, string>>(),
        };
        return true;
    }

    /// <summary>Parses a URI that must be valid (configuration, code).</summary>
    /// <exception cref="FormatException">The text is not a URI; the message names the text.</exception>
    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri! : throw new FormatException($"not a valid SIP URI: '{text}'");

    /// <summary>
    /// Decodes <c>%HH</c> escapes (RFC 3261 §19.1.2, §25.1 <c>escaped</c>) into UTF-8 text; a <c>%</c> not followed by
    /// two hex digits is kept as is. Use on a user part or header value, never on a whole URI (escapes are
    /// significant for comparison, RFC 3261 §19.1.4).
    /// </summary>
    public static string Unescape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('%')) return text;
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
                continue;
            }
            var n = Encoding.UTF8.GetBytes(text.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), utf8);
            if (n > 1 && char.IsHighSurrogate(c)) i++;
            for (var k = 0; k < n; k++) bytes.Add(utf8[k]);
        }
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    internal static bool TrySplitHostPort(string text, out string host, out int? port)
    {
        host = "";
        port = null;
        if (text.Length == 0) return false;
        string portText;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0) return false;
            host = text[..(close + 1)];
            portText = text[(close + 1)..];
            if (portText.Length > 0 && portText[0] != ':') return false;
            portText = portText.Length > 0 ? portText[1..] : "";
            if (!System.Net.IPAddress.TryParse(host[1..^1], out _)) return false;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? "" : text[(colon + 1)..];
            if (colon >= 0 && portText.Length == 0) return false;
            if (host.Length == 0) return false;
            foreach (var c in host) if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_')) return false;
        }
        if (portText.Length > 0)
        {
            foreach (var c in portText) if (c is < '0' or > '9') return false;
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535) return false;
            port = p;
        }
        return true;
    }

    /// <summary>The wire form (RFC 3261 §19.1.1), with parameters and headers in their original order.</summary>
    public override string ToString()
    {
        if (Opaque is not null) return Scheme + ":" + Opaque;
        var builder = new StringBuilder(64).Append(Scheme).Append(':');
        if (User is not null)
        {
            builder.Append(User);
            if (Password is not null) builder.Append(':').Append(Password);
            builder.Append('@');
        }
        builder.Append(Host);
        if (Port is { } port) builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        SipGrammar.AppendParameters(builder, Parameters);
        for (var i = 0; i < Headers.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(Headers[i].Key).Append('=').Append(Headers[i].Value);
        }
        return builder.ToString();
    }
}
