using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// Parses one SIP message from a datagram (RFC 3261 §7, §18.3): header folding, compact forms, bare-LF
/// tolerance; Content-Length governs the body and trailing octets are ignored (RFC 4475 §3.1.1.8). Never throws.
/// </summary>
public static class SipParser
{
    /// <summary>
    /// Parses <paramref name="data"/>; on failure <paramref name="message"/> is null and <paramref name="error"/> says why.
    /// The message keeps a copy of <paramref name="data"/> (one array: header values decode from it on access, and the
    /// body is a slice of it), so the caller may reuse its buffer at once.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError error) =>
        TryParse(data, out message, out error, out _);

    /// <summary>
    /// Zero-copy variant: parses <paramref name="data"/> and, on success, the message <see cref="SipMessage.Body"/> is a
    /// slice of <paramref name="data"/> and its header values are decoded from <paramref name="data"/> when first read.
    /// The caller hands the buffer over: it must not be reused or returned to a pool while the message (or any copy of
    /// its body) is alive. Same verdicts and errors as the span overload.
    /// </summary>
    /// <param name="data">One whole message (e.g. a datagram) in a buffer owned by the message from now on.</param>
    /// <param name="message">The parsed message, or null on failure.</param>
    /// <param name="error">Why parsing failed; <see cref="SipParseError.None"/> on success.</param>
    public static bool TryParse(ReadOnlyMemory<byte> data, out SipMessage? message, out SipParseError error)
    {
        message = null;
        try
        {
            return Parse(data, out message, out error, out _);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            error = new SipParseError(SipParseErrorReason.BadHeader, 0, null, 400, "unparseable message: " + ex.Message);
            return false;
        }
    }

    /// <summary>As the public overload; also returns the headers read so far, so a server can still answer 400/505.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError error, out IReadOnlyList<SipHeader>? rawHeaders)
    {
        message = null;
        rawHeaders = null;
        try
        {
            // Header values are decoded lazily from the message buffer, so the message owns a copy of it.
            return Parse(data.ToArray(), out message, out error, out rawHeaders);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            error = new SipParseError(SipParseErrorReason.BadHeader, 0, null, 400, "unparseable message: " + ex.Message);
            return false;
        }
    }

    private static bool Parse(ReadOnlyMemory<byte> owner, out SipMessage? message, out SipParseError error, out IReadOnlyList<SipHeader>? rawHeaders)
    {
        var headers = SipHeaderBuffer.Rent();
        try
        {
            return Parse(owner.Span, owner, ref headers, out message, out error, out rawHeaders);
        }
        finally
        {
            headers.Return();
        }
    }

    private static bool Parse(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> owner, ref SipHeaderBuffer headers, out SipMessage? message, out SipParseError error, out IReadOnlyList<SipHeader>? rawHeaders)
    {
        message = null;
        rawHeaders = null;
        var pos = 0;
        while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n') pos++;
        if (pos >= data.Length) return Fail(out error, SipParseErrorReason.Empty, pos, null, 400, "empty message");
        if (!NextLine(data, ref pos, out var startLineStart, out var startLineLength))
        {
            return Fail(out error, SipParseErrorReason.Incomplete, data.Length, null, 400, "header block not terminated by an empty line");
        }

        string? pendingName = null;
        var pendingValueStart = 0;
        var pendingValueLength = 0;
        StringBuilder? folded = null;
        int bodyStart;
        while (true)
        {
            if (!NextLine(data, ref pos, out var start, out var length))
            {
                return Fail(out error, SipParseErrorReason.Incomplete, data.Length, null, 400, "header block not terminated by an empty line");
            }
            if (length == 0)
            {
                bodyStart = pos;
                break;
            }
            var line = data.Slice(start, length);
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (pendingName is null) return Fail(out error, SipParseErrorReason.BadHeader, start, null, 400, "continuation line before any header");
                folded ??= new StringBuilder();
                if (folded.Length == 0) folded.Append(Decode(data.Slice(pendingValueStart, pendingValueLength)));
                folded.Append(' ').Append(Decode(TrimLws(line)));
                continue;
            }
            if (pendingName is not null)
            {
                headers.Add(pendingName, FoldedValue(folded), pendingValueStart, pendingValueLength);
            }
            // name = token, then LWS, then ':' (RFC 3261 §7.3.1): one scan finds the colon and validates the name.
            var nameEnd = line.IndexOfAnyExcept(SipGrammar.TokenBytes);
            if (nameEnd < 0) nameEnd = line.Length;
            var colon = nameEnd;
            while (colon < line.Length && line[colon] is (byte)' ' or (byte)'\t') colon++;
            var nameBytes = line[..nameEnd];
            if (nameEnd == 0 || colon == line.Length || line[colon] != (byte)':')
            {
                return Fail(out error, SipParseErrorReason.BadHeader, start, null, 400, $"malformed header line: '{Shorten(Decode(line))}'");
            }
            pendingName = HeaderNames.Intern(nameBytes);
            var valueStart = colon + 1;
            while (valueStart < line.Length && line[valueStart] is (byte)' ' or (byte)'\t') valueStart++;
            var valueEnd = line.Length;
            while (valueEnd > valueStart && line[valueEnd - 1] is (byte)' ' or (byte)'\t') valueEnd--;
            pendingValueStart = start + valueStart;
            pendingValueLength = valueEnd - valueStart;
        }
        if (pendingName is not null)
        {
            headers.Add(pendingName, FoldedValue(folded), pendingValueStart, pendingValueLength);
        }
        var headerList = headers.ToList(owner);
        rawHeaders = headerList;

        var startLineBytes = data.Slice(startLineStart, startLineLength);
        var isResponse = startLineBytes.Length >= 4 && Ascii.EqualsIgnoreCase(startLineBytes[..4], "SIP/"u8);
        var status = 0;
        string reason = "", method = "";
        SipUri? uri = null;
        int uriStart = 0, uriLength = 0;
        if (isResponse ? !SipStartLine.TryReadStatus(startLineBytes, out status, out reason) && !TryParseStatusLine(Decode(startLineBytes), out status, out reason, out error)
            : !SipStartLine.TryReadRequest(startLineBytes, out method, out uriStart, out uriLength) && !TryParseRequestLine(Decode(startLineBytes), out method, out uri, out error))
        {
            return false;
        }
        if (!SipHeaderChecks.TryCheck(headerList, out var contentLength, out error)) return false;

        var available = data.Length - bodyStart;
        var bodyLength = available;
        if (contentLength >= 0)
        {
            if (contentLength > available)
            {
                return Fail(out error, SipParseErrorReason.Incomplete, data.Length, "Content-Length", 400,
                    $"Content-Length {contentLength} exceeds the {available} body bytes received");
            }
            bodyLength = contentLength;
        }
        var body = bodyLength == 0 ? ReadOnlyMemory<byte>.Empty
            : owner.Slice(bodyStart, bodyLength);
        message = isResponse
            ? new SipResponse(status, reason) { Headers = headerList, Body = body }
            : uri is null ? new SipRequest(method, owner.Slice(startLineStart + uriStart, uriLength)) { Headers = headerList, Body = body }
            : new SipRequest(method, uri) { Headers = headerList, Body = body };
        error = SipParseError.None;
        return true;
    }

    /// <summary>The next line from <paramref name="pos"/> without its CRLF or bare LF; false when no LF follows.</summary>
    private static bool NextLine(ReadOnlySpan<byte> data, ref int pos, out int start, out int length)
    {
        start = pos;
        var nl = data[pos..].IndexOf((byte)'\n');
        if (nl < 0)
        {
            length = 0;
            return false;
        }
        length = nl > 0 && data[pos + nl - 1] == (byte)'\r' ? nl - 1 : nl;
        pos += nl + 1;
        return true;
    }

    /// <summary>The joined value of a folded header (and the builder emptied for the next one), or null when not folded.</summary>
    private static string? FoldedValue(StringBuilder? folded)
    {
        if (folded is null || folded.Length == 0) return null;
        var value = folded.ToString().Trim();
        folded.Clear();
        return value;
    }

    private static ReadOnlySpan<byte> TrimLws(ReadOnlySpan<byte> span)
    {
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t') start++;
        var end = span.Length;
        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t') end--;
        return span[start..end];
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);

    /// <summary>
    /// A header value as a string: ASCII (the usual case) is widened in one pass straight into the new string;
    /// anything else goes through the UTF-8 decoder, which replaces invalid sequences exactly as before.
    /// </summary>
    internal static string DecodeValue(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return "";
        if (!Ascii.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        return string.Create(bytes.Length, bytes, static (chars, ascii) => Ascii.ToUtf16(ascii, chars, out _));
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

    internal static bool Fail(out SipParseError error, SipParseErrorReason reason, int offset, string? header, int status, string detail)
    {
        error = new SipParseError(reason, offset, header, status, detail);
        return false;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
