using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// Parses one SIP message from a datagram (RFC 3261 §7, §18.3): header folding, compact forms, bare-LF
/// tolerance; Content-Length governs the body and trailing octets are ignored (RFC 4475 §3.1.1.8). Never throws.
/// </summary>
public static class SipParser
{
    /// <summary>Parses <paramref name="data"/>; on failure <paramref name="message"/> is null and <paramref name="error"/> says why.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError error) =>
        TryParse(data, out message, out error, out _);

    /// <summary>As the public overload; also returns the headers read so far, so a server can still answer 400/505.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError error, out IReadOnlyList<SipHeader>? rawHeaders)
    {
        message = null;
        rawHeaders = null;
        try
        {
            return Parse(data, out message, out error, out rawHeaders);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            error = new SipParseError(SipParseErrorReason.BadHeader, 0, null, 400, "unparseable message: " + ex.Message);
            return false;
        }
    }

    private static bool Parse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError error, out IReadOnlyList<SipHeader>? rawHeaders)
    {
        message = null;
        rawHeaders = null;
        var pos = 0;
        while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n') pos++;
        if (pos >= data.Length) return Fail(out error, SipParseErrorReason.Empty, pos, null, 400, "empty message");

        var lines = new List<(int Start, int Length)>();
        var bodyStart = -1;
        while (pos < data.Length)
        {
            var nl = data[pos..].IndexOf((byte)'\n');
            if (nl < 0) break;
            var length = nl;
            if (length > 0 && data[pos + length - 1] == (byte)'\r') length--;
            if (length == 0)
            {
                bodyStart = pos + nl + 1;
                break;
            }
            lines.Add((pos, length));
            pos += nl + 1;
        }
        if (bodyStart < 0) return Fail(out error, SipParseErrorReason.Incomplete, data.Length, null, 400, "header block not terminated by an empty line");

        var startLine = Encoding.UTF8.GetString(data.Slice(lines[0].Start, lines[0].Length));
        var headers = new List<SipHeader>(lines.Count);
        var headerOffsets = new List<int>(lines.Count);
        string? pendingName = null;
        var pendingValue = new StringBuilder();
        var pendingOffset = 0;
        for (var i = 1; i < lines.Count; i++)
        {
            var (start, length) = lines[i];
            var text = Encoding.UTF8.GetString(data.Slice(start, length));
            if (text[0] is ' ' or '\t')
            {
                if (pendingName is null) return Fail(out error, SipParseErrorReason.BadHeader, start, null, 400, "continuation line before any header");
                pendingValue.Append(' ').Append(text.Trim());
                continue;
            }
            if (pendingName is not null)
            {
                headers.Add(new SipHeader(pendingName, pendingValue.ToString().Trim()));
                headerOffsets.Add(pendingOffset);
            }
            var colon = text.IndexOf(':');
            var name = colon < 0 ? text : text[..colon].TrimEnd(' ', '\t');
            if (colon < 0 || !SipGrammar.IsToken(name))
            {
                return Fail(out error, SipParseErrorReason.BadHeader, start, null, 400, $"malformed header line: '{Shorten(text)}'");
            }
            pendingName = name;
            pendingOffset = start;
            pendingValue.Clear().Append(text.AsSpan(colon + 1).Trim());
        }
        if (pendingName is not null)
        {
            headers.Add(new SipHeader(pendingName, pendingValue.ToString().Trim()));
            headerOffsets.Add(pendingOffset);
        }
        rawHeaders = headers;

        var isResponse = startLine.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase);
        SipMessage parsed;
        if (isResponse)
        {
            if (!TryParseStatusLine(startLine, out var status, out var reason, out error)) return false;
            parsed = new SipResponse(status, reason) { Headers = headers };
        }
        else
        {
            if (!TryParseRequestLine(startLine, out var method, out var uri, out error)) return false;
            parsed = new SipRequest(method, uri!) { Headers = headers };
        }

        if (!Validate(parsed, headers, headerOffsets, out error)) return false;

        var available = data.Length - bodyStart;
        var bodyLength = available;
        var contentLength = parsed.GetHeader("Content-Length");
        if (contentLength is not null)
        {
            var cl = int.Parse(contentLength.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            if (cl > available)
            {
                return Fail(out error, SipParseErrorReason.Incomplete, data.Length, "Content-Length", 400,
                    $"Content-Length {cl} exceeds the {available} body bytes received");
            }
            bodyLength = cl;
        }
        message = parsed with { Body = data.Slice(bodyStart, bodyLength).ToArray() };
        error = SipParseError.None;
        return true;
    }

    private static bool TryParseStatusLine(string line, out int status, out string reason, out SipParseError error)
    {
        status = 0;
        reason = "";
        var sp = line.IndexOf(' ');
        var version = sp < 0 ? line : line[..sp];
        if (!version.Equals("SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(out error, SipParseErrorReason.BadVersion, 0, null, 505, $"unsupported version '{Shorten(version)}'");
        }
        var rest = sp < 0 ? "" : line[(sp + 1)..];
        var sp2 = rest.IndexOf(' ');
        var code = sp2 < 0 ? rest : rest[..sp2];
        if (code.Length != 3 || !code.All(char.IsAsciiDigit) || code[0] is < '1' or > '6')
        {
            return Fail(out error, SipParseErrorReason.BadStatusCode, sp + 1, null, 400, $"bad status code '{Shorten(code)}'");
        }
        status = int.Parse(code, NumberStyles.None, CultureInfo.InvariantCulture);
        reason = sp2 < 0 ? "" : rest[(sp2 + 1)..];
        error = SipParseError.None;
        return true;
    }

    private static bool TryParseRequestLine(string line, out string method, out SipUri? uri, out SipParseError error)
    {
        method = "";
        uri = null;
        // Liberal per RFC 4475 §3.1.2.9/§3.1.2.10: extra SP between and after the elements is accepted.
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return Fail(out error, SipParseErrorReason.BadStartLine, 0, null, 400, "empty request line");
        var version = parts[^1];
        if (parts.Length >= 2 && version.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase)
            && !version.Equals("SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(out error, SipParseErrorReason.BadVersion, line.Length - version.Length, null, 505, $"unsupported version '{Shorten(version)}'");
        }
        if (parts.Length != 3 || !version.Equals("SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(out error, SipParseErrorReason.BadStartLine, 0, null, 400, $"malformed request line '{Shorten(line)}'");
        }
        if (!SipGrammar.IsToken(parts[0]))
        {
            return Fail(out error, SipParseErrorReason.BadStartLine, 0, null, 400, $"method is not a token: '{Shorten(parts[0])}'");
        }
        if (!SipUri.TryParse(parts[1], out uri))
        {
            return Fail(out error, SipParseErrorReason.BadRequestUri, parts[0].Length + 1, null, 400, $"malformed Request-URI '{Shorten(parts[1])}'");
        }
        if (uri!.Headers.Count > 0)
        {
            // RFC 3261 §19.1.5: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
            return Fail(out error, SipParseErrorReason.BadRequestUri, parts[0].Length + 1, null, 400, $"Request-URI carries headers: '{Shorten(parts[1])}'");
        }
        method = parts[0];
        error = SipParseError.None;
        return true;
    }

    private static bool Validate(SipMessage message, List<SipHeader> headers, List<int> offsets, out SipParseError error)
    {
        string? contentLength = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            var canonical = HeaderNames.Canonical(name);
            seen.Add(canonical);
            var offset = offsets[i];
            switch (canonical.ToLowerInvariant())
            {
                case "content-length":
                    var v = value.Trim();
                    if (v.Length == 0 || !v.All(char.IsAsciiDigit) || !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        return Fail(out error, SipParseErrorReason.BadContentLength, offset, name, 400, $"invalid Content-Length '{Shorten(value)}'");
                    }
                    if (contentLength is not null && contentLength != v)
                    {
                        return Fail(out error, SipParseErrorReason.BadContentLength, offset, name, 400, "conflicting Content-Length values");
                    }
                    contentLength = v;
                    break;
                case "via":
                    foreach (var item in SipGrammar.Split(value, ','))
                    {
                        if (!Via.TryParse(item, out _)) return Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed Via '{Shorten(item)}'");
                    }
                    break;
                case "from":
                case "to":
                    if (!NameAddress.TryParse(value, out _)) return Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed {canonical} '{Shorten(value)}'");
                    break;
                case "contact":
                    if (value.Trim() == "*") break;
                    goto case "route";
                case "route":
                case "record-route":
                    foreach (var item in SipGrammar.Split(value, ','))
                    {
                        if (!NameAddress.TryParse(item, out _)) return Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed {canonical} '{Shorten(item)}'");
                    }
                    break;
                case "cseq":
                    if (!CSeq.TryParse(value, out _)) return Fail(out error, SipParseErrorReason.BadCSeq, offset, name, 400, $"malformed CSeq '{Shorten(value)}'");
                    break;
                case "max-forwards":
                    var mf = value.Trim();
                    if (mf.Length == 0 || !mf.All(char.IsAsciiDigit) || !int.TryParse(mf, NumberStyles.None, CultureInfo.InvariantCulture, out var hops) || hops > 255)
                    {
                        return Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"invalid Max-Forwards '{Shorten(value)}'");
                    }
                    break;
                case "call-id":
                    if (value.Trim().Length == 0) return Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, "empty Call-ID");
                    break;
            }
        }
        foreach (var required in (string[])["Via", "From", "To", "Call-ID", "CSeq"])
        {
            if (!seen.Contains(required)) return Fail(out error, SipParseErrorReason.MissingHeader, 0, required, 400, $"missing {required} header");
        }
        error = SipParseError.None;
        return true;
    }

    private static bool Fail(out SipParseError error, SipParseErrorReason reason, int offset, string? header, int status, string detail)
    {
        error = new SipParseError(reason, offset, header, status, detail);
        return false;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
