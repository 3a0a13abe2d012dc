using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>Writes a message to wire bytes (RFC 3261 §7): CRLF lines, Content-Length from the body, body byte-exact.</summary>
public static class SipSerializer
{
    /// <summary>
    /// Serializes <paramref name="message"/>. Any Content-Length header (long or compact) is replaced by one
    /// carrying the body's byte count, placed last.
    /// </summary>
    public static byte[] Serialize(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var builder = new StringBuilder(512);
        switch (message)
        {
            case SipRequest request:
                builder.Append(request.Method).Append(' ').Append(request.RequestUri.ToString()).Append(" SIP/2.0\r\n");
                break;
            case SipResponse response:
                builder.Append("SIP/2.0 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(response.ReasonPhrase).Append("\r\n");
                break;
        }
        foreach (var header in message.Headers)
        {
            if (HeaderNames.Matches(header.Name, "Content-Length")) continue;
            builder.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }
        builder.Append("Content-Length: ").Append(message.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var headBytes = Encoding.UTF8.GetByteCount(builder.ToString());
        var result = new byte[headBytes + message.Body.Length];
        Encoding.UTF8.GetBytes(builder.ToString(), result);
        message.Body.Span.CopyTo(result.AsSpan(headBytes));
        return result;
    }
}
