using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Dialogs;

/// <summary>Reads the SDP out of an SRS message whose body is <c>application/sdp</c> or a <c>multipart/*</c> holding one (rules in <see cref="MessageBody"/>), and quotes the boundary of the multipart bodies the SRC sends.</summary>
internal static class SipBodies
{
    /// <summary>The SDP of the message, or null when it has none or it does not parse (the error says why).</summary>
    public static SdpSession? ReadSdp(SipMessage message, out string? error)
    {
        return MessageBody.TryFindPart(message.ContentType, message.Body, "application", "sdp", out var part, out error)
            ? Parse(part!.Body.Span, out error)
            : null;
    }

    /// <summary>True when the message carries an RFC 7866 §9.2 snapshot request (alone or as a multipart part).</summary>
    public static bool HasSnapshotRequest(SipMessage message) =>
        MessageBody.TryFindPart(message.ContentType, message.Body, "application", "rs-metadata-request", out _, out _);

    /// <summary>A multipart boundary as a Content-Type parameter: quoted unless it is a token (RFC 2046 §5.1.1, RFC 3261 §25.1).</summary>
    public static string QuoteBoundary(string boundary) =>
        boundary.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)) ? boundary : "\"" + boundary + "\"";

    private static SdpSession? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        return SdpSession.TryParse(Encoding.UTF8.GetString(body), out var session, out error) ? session : null;
    }
}
