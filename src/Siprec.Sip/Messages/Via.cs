using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>One Via header value (RFC 3261 §20.42, §18.2.1 <c>received</c>, RFC 3581 <c>rport</c>).</summary>
/// <param name="Transport">The transport token, upper-case (UDP, TCP, TLS, SCTP or unknown).</param>
/// <param name="Host">The sent-by host (IPv6 with brackets).</param>
/// <param name="Port">The sent-by port, when written.</param>
/// <param name="Parameters">Via parameters in order; a null value is a flag (e.g. a bare <c>rport</c>).</param>
public sealed record Via(string Transport, string Host, int? Port, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>The branch parameter (transaction id, RFC 3261 §17.1.3), or null.</summary>
    public string? Branch => SipGrammar.Find(Parameters, "branch");

    /// <summary>The <c>received</c> parameter set by the server that saw a different source address, or null.</summary>
    public string? Received => SipGrammar.Find(Parameters, "received");

    /// <summary>The <c>rport</c> value (RFC 3581), or null when absent or present without a value.</summary>
    public int? RPort => int.TryParse(SipGrammar.Find(Parameters, "rport"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;

    /// <summary>True when an <c>rport</c> parameter is present, with or without value.</summary>
    public bool HasRPort => SipGrammar.Has(Parameters, "rport");

    /// <summary>The sent-by as <c>host[:port]</c>, used in server transaction matching (§17.2.3).</summary>
    public string SentBy => Port is { } p ? Host + ":" + p.ToString(CultureInfo.InvariantCulture) : Host;

    /// <summary>A copy with parameter <paramref name="name"/> set (replaced in place or appended).</summary>
    public Via WithParameter(string name, string? value) => this with { Parameters = SipGrammar.With(Parameters, name, value) };

    /// <summary>
    /// Parses <c>SIP / 2.0 / transport LWS sent-by *(; param)</c>, tolerating LWS around the slashes and colon
    /// (RFC 4475 §3.1.1.1). False (never throws) when malformed.
    /// </summary>
    public static bool TryParse(string text, out Via? via)
    {
        via = null;
        if (text is null) return false;
        var pos = 0;
        if (!ReadToken(text, ref pos, out var protocol) || !Expect(text, ref pos, '/')) return false;
        if (!ReadToken(text, ref pos, out var version) || !Expect(text, ref pos, '/')) return false;
        if (!ReadToken(text, ref pos, out var transport)) return false;
        if (!string.Equals(protocol, "SIP", StringComparison.OrdinalIgnoreCase)) return false;
        SkipWhitespace(text, ref pos);
        var hostStart = pos;
        if (pos < text.Length && text[pos] == '[')
        {
            var close = text.IndexOf(']', pos);
            if (close < 0) return false;
            pos = close + 1;
        }
        else
        {
            while (pos < text.Length && text[pos] is not (':' or ';' or ' ' or '\t')) pos++;
        }
        var host = text[hostStart..pos];
        SkipWhitespace(text, ref pos);
        var hostPort = host;
        if (pos < text.Length && text[pos] == ':')
        {
            pos++;
            SkipWhitespace(text, ref pos);
            var portStart = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
            hostPort = host + ":" + text[portStart..pos];
        }
        if (!SipUri.TrySplitHostPort(hostPort, out var parsedHost, out var port)) return false;
        if (!SipGrammar.TryParseParameters(text[pos..], out var parameters)) return false;
        _ = version;
        via = new Via(transport.ToUpperInvariant(), parsedHost, port, parameters);
        return true;
    }

    private static bool ReadToken(string text, ref int pos, out string token)
    {
        SkipWhitespace(text, ref pos);
        var start = pos;
        while (pos < text.Length && SipGrammar.IsTokenChar(text[pos])) pos++;
        token = text[start..pos];
        return token.Length > 0;
    }

    private static bool Expect(string text, ref int pos, char c)
    {
        SkipWhitespace(text, ref pos);
        if (pos >= text.Length || text[pos] != c) return false;
        pos++;
        return true;
    }

    private static void SkipWhitespace(string text, ref int pos)
    {
        while (pos < text.Length && SipGrammar.IsWhitespace(text[pos])) pos++;
    }

    /// <summary>The wire form: <c>SIP/2.0/UDP host:port;branch=…</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(80).Append("SIP/2.0/").Append(Transport).Append(' ').Append(SentBy);
        SipGrammar.AppendParameters(builder, Parameters);
        return builder.ToString();
    }
}
