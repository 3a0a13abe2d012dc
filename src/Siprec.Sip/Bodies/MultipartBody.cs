using System.Security.Cryptography;
using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Bodies;

/// <summary>
/// multipart/* bodies (RFC 2046 §5.1, RFC 5621): binary-safe parsing that tolerates bare LF, a preamble and a
/// missing close delimiter (seen from Cisco, SEMS and Sonus recorders), and building with a safe boundary.
/// </summary>
public static class MultipartBody
{
    /// <summary>Splits <paramref name="body"/> at <paramref name="boundary"/>; false with a reason (never throws) when no part can be framed.</summary>
    /// <param name="body">The multipart body bytes.</param>
    /// <param name="boundary">The boundary parameter of the Content-Type, unquoted.</param>
    /// <param name="parts">The parts in order; empty on failure.</param>
    /// <param name="error">Why parsing failed, else null.</param>
    public static bool TryParse(ReadOnlySpan<byte> body, string boundary, out IReadOnlyList<MimePart> parts, out string? error)
    {
        parts = Array.Empty<MimePart>();
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            error = "multipart boundary is empty or longer than 200 characters";
            return false;
        }
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var result = new List<MimePart>();
        var pos = FindDelimiter(body, delimiter, 0, out var isClose, out var afterLine);
        if (pos < 0)
        {
            error = $"no '--{boundary}' delimiter line found";
            return false;
        }
        while (!isClose)
        {
            var contentStart = afterLine;
            var next = FindDelimiter(body, delimiter, contentStart, out var nextIsClose, out var nextAfter);
            int contentEnd;
            if (next < 0)
            {
                contentEnd = body.Length;
                if (contentEnd > contentStart && body[contentEnd - 1] == (byte)'\n') contentEnd--;
                if (contentEnd > contentStart && body[contentEnd - 1] == (byte)'\r') contentEnd--;
            }
            else
            {
                contentEnd = next;
                if (contentEnd > contentStart && body[contentEnd - 1] == (byte)'\n') contentEnd--;
                if (contentEnd > contentStart && body[contentEnd - 1] == (byte)'\r') contentEnd--;
            }
            if (!TryParsePart(body[contentStart..contentEnd], out var part, out error))
            {
                error = $"part {result.Count + 1}: {error}";
                return false;
            }
            result.Add(part!);
            if (next < 0) break;
            isClose = nextIsClose;
            afterLine = nextAfter;
        }
        if (result.Count == 0)
        {
            error = "multipart body has no parts";
            return false;
        }
        parts = result;
        error = null;
        return true;
    }

    /// <summary>
    /// Builds a multipart body with CRLF framing and a random boundary that occurs in no part; part bodies are
    /// copied byte-exact. Use the returned <paramref name="boundary"/> in <c>multipart/mixed;boundary=…</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No parts were given (programmer error).</exception>
    public static byte[] Build(IReadOnlyList<MimePart> parts, out string boundary)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("a multipart body needs at least one part", nameof(parts));
        do
        {
            boundary = "siprec-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        }
        while (OccursIn(parts, boundary));

        using var stream = new MemoryStream();
        foreach (var part in parts)
        {
            var head = new StringBuilder().Append("--").Append(boundary).Append("\r\n");
            foreach (var header in part.Headers) head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
            head.Append("\r\n");
            stream.Write(Encoding.UTF8.GetBytes(head.ToString()));
            stream.Write(part.Body.Span);
            stream.Write("\r\n"u8);
        }
        stream.Write(Encoding.ASCII.GetBytes("--" + boundary + "--\r\n"));
        return stream.ToArray();
    }

    private static bool OccursIn(IReadOnlyList<MimePart> parts, string boundary)
    {
        var needle = Encoding.ASCII.GetBytes(boundary);
        foreach (var part in parts)
        {
            if (part.Body.Span.IndexOf(needle) >= 0) return true;
            foreach (var header in part.Headers)
            {
                if (header.Value.Contains(boundary, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    /// <summary>Finds a delimiter line at or after <paramref name="from"/>: at body start or after LF, followed by optional <c>--</c>, padding, line end.</summary>
    private static int FindDelimiter(ReadOnlySpan<byte> body, byte[] delimiter, int from, out bool isClose, out int afterLine)
    {
        isClose = false;
        afterLine = body.Length;
        var search = from;
        while (search < body.Length)
        {
            var hit = body[search..].IndexOf(delimiter);
            if (hit < 0) return -1;
            var at = search + hit;
            search = at + 1;
            if (at != 0 && body[at - 1] != (byte)'\n') continue;
            var p = at + delimiter.Length;
            var close = p + 1 < body.Length && body[p] == (byte)'-' && body[p + 1] == (byte)'-';
            if (close) p += 2;
            while (p < body.Length && body[p] is (byte)' ' or (byte)'\t') p++;
            if (p < body.Length && body[p] == (byte)'\r') p++;
            if (p < body.Length && body[p] != (byte)'\n') continue;
            if (p < body.Length) p++;
            isClose = close;
            afterLine = p;
            return at;
        }
        return -1;
    }

    private static bool TryParsePart(ReadOnlySpan<byte> content, out MimePart? part, out string? error)
    {
        part = null;
        var headers = new List<SipHeader>();
        var pos = 0;
        while (true)
        {
            var nl = content[pos..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                if (pos == content.Length) break;
                error = "part headers are not followed by an empty line";
                return false;
            }
            var length = nl;
            if (length > 0 && content[pos + length - 1] == (byte)'\r') length--;
            var lineStart = pos;
            pos += nl + 1;
            if (length == 0) break;
            var line = Encoding.UTF8.GetString(content.Slice(lineStart, length));
            if (line[0] is ' ' or '\t' && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = last with { Value = (last.Value + " " + line.Trim()).Trim() };
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0 || !SipGrammar.IsToken(line[..colon].TrimEnd()))
            {
                error = $"malformed part header '{(line.Length > 60 ? line[..60] : line)}'";
                return false;
            }
            headers.Add(new SipHeader(line[..colon].TrimEnd(), line[(colon + 1)..].Trim()));
        }
        part = new MimePart(headers, content[pos..].ToArray());
        error = null;
        return true;
    }
}
