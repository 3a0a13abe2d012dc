using System.Buffers;
using System.Globalization;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>Writes a message to wire bytes (RFC 3261 §7): CRLF lines, Content-Length from the body, body byte-exact.</summary>
public static class SipSerializer
{
    /// <summary>
    /// Serializes <paramref name="message"/> into a new array of exactly its wire size (what a transaction keeps for
    /// retransmission). Any Content-Length header (long or compact) is replaced by one carrying the body's byte count,
    /// placed last. The UTF-8 text is written straight into the array (no intermediate string).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public static byte[] Serialize(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var startLine = StartLine.Of(message);
        var result = new byte[Measure(message, startLine)];
        Write(message, startLine, result);
        return result;
    }

    /// <summary>
    /// Serializes <paramref name="message"/> as <see cref="Serialize(SipMessage)"/> does, into <paramref name="destination"/>
    /// (e.g. a pooled <see cref="ArrayBufferWriter{T}"/> reused per send), so a one-shot send allocates no array.
    /// </summary>
    /// <returns>The number of bytes written (and advanced).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="destination"/> is null.</exception>
    public static int Serialize(SipMessage message, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(destination);
        var startLine = StartLine.Of(message);
        var size = Measure(message, startLine);
        Write(message, startLine, destination.GetSpan(size)[..size]);
        destination.Advance(size);
        return size;
    }

    /// <summary>
    /// The number of bytes <see cref="Serialize(SipMessage)"/> would write, without writing them (e.g. to choose a
    /// transport by size, RFC 3261 §18.1.1).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public static int Measure(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Measure(message, StartLine.Of(message));
    }

    /// <summary>The wire size in bytes.</summary>
    private static int Measure(SipMessage message, in StartLine startLine)
    {
        var size = startLine.Size + "Content-Length: "u8.Length + Digits(message.Body.Length) + 4 + message.Body.Length;
        var headers = message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (IsContentLength(header.Name)) continue;
            size += Encoding.UTF8.GetByteCount(header.Name) + 2 + Encoding.UTF8.GetByteCount(header.Value) + 2;
        }
        return size;
    }

    private static void Write(SipMessage message, in StartLine startLine, Span<byte> destination)
    {
        var writer = new Writer(destination);
        Span<byte> number = stackalloc byte[11];
        switch (message)
        {
            case SipRequest:
                writer.Text(startLine.First);
                writer.Bytes(" "u8);
                writer.Text(startLine.Second);
                writer.Bytes(" SIP/2.0\r\n"u8);
                break;
            case SipResponse response:
                writer.Bytes("SIP/2.0 "u8);
                response.StatusCode.TryFormat(number, out var digits, default, CultureInfo.InvariantCulture);
                writer.Bytes(number[..digits]);
                writer.Bytes(" "u8);
                writer.Text(startLine.Second);
                writer.Bytes("\r\n"u8);
                break;
        }
        var headers = message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (IsContentLength(header.Name)) continue;
            writer.Text(header.Name);
            writer.Bytes(": "u8);
            writer.Text(header.Value);
            writer.Bytes("\r\n"u8);
        }
        writer.Bytes("Content-Length: "u8);
        message.Body.Length.TryFormat(number, out var bodyDigits, default, CultureInfo.InvariantCulture);
        writer.Bytes(number[..bodyDigits]);
        writer.Bytes("\r\n\r\n"u8);
        writer.Bytes(message.Body.Span);
    }

    /// <summary>The length of <paramref name="value"/> in invariant decimal, exactly as <see cref="Write"/> formats it.</summary>
    private static int Digits(int value)
    {
        Span<byte> digits = stackalloc byte[11];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        return length;
    }

    private static bool IsContentLength(string name) =>
        name is "Content-Length" or "l" || HeaderNames.Matches(name, "Content-Length");

    /// <summary>The start line's text parts (RFC 3261 §7.1/§7.2): method and Request-URI, or reason phrase; and its size.</summary>
    private readonly record struct StartLine(string First, string Second, int Size)
    {
        public static StartLine Of(SipMessage message)
        {
            switch (message)
            {
                case SipRequest request:
                    var uri = request.RequestUri.ToString();
                    return new StartLine(request.Method, uri,
                        Encoding.UTF8.GetByteCount(request.Method) + 1 + Encoding.UTF8.GetByteCount(uri) + " SIP/2.0\r\n"u8.Length);
                case SipResponse response:
                    return new StartLine("", response.ReasonPhrase,
                        "SIP/2.0 "u8.Length + Digits(response.StatusCode) + 1 + Encoding.UTF8.GetByteCount(response.ReasonPhrase) + 2);
                default:
                    return new StartLine("", "", 0);
            }
        }
    }

    /// <summary>Sequential writer into the exactly sized destination.</summary>
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
