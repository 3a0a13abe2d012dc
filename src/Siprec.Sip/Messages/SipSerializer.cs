using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>Writes a message to wire bytes (RFC 3261 §7): CRLF lines, Content-Length from the body, body byte-exact.</summary>
public static class SipSerializer
{
    /// <summary>
    /// Serializes <paramref name="message"/>. Any Content-Length header (long or compact) is replaced by one
    /// carrying the body's byte count, placed last. The UTF-8 text is written straight into one array sized
    /// exactly once (no intermediate string).
    /// </summary>
    public static byte[] Serialize(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Span<byte> number = stackalloc byte[11];
        Span<byte> bodyLength = stackalloc byte[11];
        message.Body.Length.TryFormat(bodyLength, out var bodyLengthDigits, default, CultureInfo.InvariantCulture);
        bodyLength = bodyLength[..bodyLengthDigits];

        string first, second;
        switch (message)
        {
            case SipRequest request:
                first = request.Method;
                second = request.RequestUri.ToString();
                number = default;
                break;
            case SipResponse response:
                first = "";
                second = response.ReasonPhrase;
                response.StatusCode.TryFormat(number, out var digits, default, CultureInfo.InvariantCulture);
                number = number[..digits];
                break;
            default:
                first = second = "";
                number = default;
                break;
        }

        var size = StartLineSize(message, first, second, number) + "Content-Length: "u8.Length + bodyLength.Length + 4 + message.Body.Length;
        foreach (var header in message.Headers)
        {
            if (IsContentLength(header.Name)) continue;
            size += Encoding.UTF8.GetByteCount(header.Name) + 2 + Encoding.UTF8.GetByteCount(header.Value) + 2;
        }

        var result = new byte[size];
        var writer = new Writer(result);
        switch (message)
        {
            case SipRequest:
                writer.Text(first);
                writer.Bytes(" "u8);
                writer.Text(second);
                writer.Bytes(" SIP/2.0\r\n"u8);
                break;
            case SipResponse:
                writer.Bytes("SIP/2.0 "u8);
                writer.Bytes(number);
                writer.Bytes(" "u8);
                writer.Text(second);
                writer.Bytes("\r\n"u8);
                break;
        }
        foreach (var header in message.Headers)
        {
            if (IsContentLength(header.Name)) continue;
            writer.Text(header.Name);
            writer.Bytes(": "u8);
            writer.Text(header.Value);
            writer.Bytes("\r\n"u8);
        }
        writer.Bytes("Content-Length: "u8);
        writer.Bytes(bodyLength);
        writer.Bytes("\r\n\r\n"u8);
        writer.Bytes(message.Body.Span);
        return result;
    }

    private static int StartLineSize(SipMessage message, string first, string second, ReadOnlySpan<byte> number) => message switch
    {
        SipRequest => Encoding.UTF8.GetByteCount(first) + 1 + Encoding.UTF8.GetByteCount(second) + " SIP/2.0\r\n"u8.Length,
        SipResponse => "SIP/2.0 "u8.Length + number.Length + 1 + Encoding.UTF8.GetByteCount(second) + 2,
        _ => 0,
    };

    private static bool IsContentLength(string name) =>
        name is "Content-Length" or "l" || HeaderNames.Matches(name, "Content-Length");

    /// <summary>Sequential writer into the exactly sized result.</summary>
    private ref struct Writer(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _position;

        public void Bytes(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[_position..]);
            _position += bytes.Length;
        }

        public void Text(string text) => _position += Encoding.UTF8.GetBytes(text, _destination[_position..]);
    }
}
