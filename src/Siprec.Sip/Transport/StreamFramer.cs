using System.Buffers.Text;

namespace Siprec.Sip.Transport;

/// <summary>
/// Finds one SIP message in a TCP/TLS byte stream (RFC 3261 §18.3): headers up to the empty line, then exactly
/// Content-Length body bytes (mandatory on streams). Keeps framing apart from parsing, as PJSIP's pjsip_find_msg.
/// </summary>
internal static class StreamFramer
{
    /// <summary>Frames the start of <paramref name="buffer"/>; <paramref name="consumed"/> is the length of what was found.</summary>
    public static StreamFrame TryFrame(ReadOnlySpan<byte> buffer, int maxMessageSize, out int consumed, out string? error)
    {
        consumed = 0;
        error = null;
        if (buffer.StartsWith("\r\n\r\n"u8))
        {
            consumed = 4;
            return StreamFrame.Ping;
        }
        if (buffer.StartsWith("\r\n"u8) && (buffer.Length == 2 || buffer[2] != (byte)'\r'))
        {
            consumed = 2;
            return StreamFrame.Pong;
        }
        if (buffer.Length > 0 && buffer[0] == (byte)'\r' && buffer.Length < 4) return StreamFrame.Incomplete;
        var end = buffer.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            if (buffer.Length < maxMessageSize) return StreamFrame.Incomplete;
            error = $"no end of headers within MaxMessageSize ({maxMessageSize} bytes)";
            return StreamFrame.Error;
        }
        if (!TryFindContentLength(buffer[..(end + 2)], out var length, out error)) return StreamFrame.Error;
        var total = (long)end + 4 + length;
        if (total > maxMessageSize)
        {
            error = $"message of {total} bytes (Content-Length {length}) exceeds MaxMessageSize ({maxMessageSize} bytes)";
            return StreamFrame.Error;
        }
        if (buffer.Length < total) return StreamFrame.Incomplete;
        consumed = (int)total;
        return StreamFrame.Message;
    }

    private static bool TryFindContentLength(ReadOnlySpan<byte> headers, out int length, out string? error)
    {
        length = 0;
        error = null;
        var found = false;
        while (!headers.IsEmpty)
        {
            var eol = headers.IndexOf("\r\n"u8);
            var line = eol < 0 ? headers : headers[..eol];
            headers = eol < 0 ? default : headers[(eol + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = line[..colon].TrimEnd(" \t"u8);
            if (!IsContentLength(name)) continue;
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!Utf8Parser.TryParse(value, out int parsed, out var used) || used != value.Length || parsed < 0)
            {
                error = $"Content-Length '{System.Text.Encoding.ASCII.GetString(value)}' is not a non-negative integer";
                return false;
            }
            if (found && parsed != length)
            {
                error = $"conflicting Content-Length values {length} and {parsed}";
                return false;
            }
            found = true;
            length = parsed;
        }
        if (!found) error = "missing Content-Length (mandatory on stream transports, RFC 3261 §18.3)";
        return found;
    }

    private static bool IsContentLength(ReadOnlySpan<byte> name) =>
        System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "l"u8);
}
