using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Siprec.Media.Codecs;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Gateway.Calls;

/// <summary>
/// The call leg's offer/answer (RFC 3264): the gateway speaks PCMU only, one audio stream, 20 ms packets.
/// Reads the caller's offer from an INVITE (plain <c>application/sdp</c> or the SDP part of any <c>multipart/*</c>
/// body, see <see cref="MessageBody"/>) and builds our side's SDP.
/// </summary>
internal static class CallSdp
{
    /// <summary>The SDP content type.</summary>
    public const string ContentType = "application/sdp";

    /// <summary>
    /// Finds the first active audio stream that offers PCMU and its RTP address; never throws on wire input.
    /// </summary>
    /// <param name="message">The INVITE (or the 200 answering our offer).</param>
    /// <param name="remoteRtp">Where the peer wants our RTP.</param>
    /// <param name="error">Why the body is unusable, for the 488's Warning and the log.</param>
    public static bool TryReadPcmu(SipMessage message, out IPEndPoint? remoteRtp, out string? error)
    {
        remoteRtp = null;
        if (!TryGetSdpText(message, out var text, out error))
        {
            return false;
        }
        if (!SdpSession.TryParse(text!, out var session, out var parseError) || session is null)
        {
            error = "SDP does not parse: " + parseError;
            return false;
        }
        var pcmu = G711.PcmuPayloadType.ToString(CultureInfo.InvariantCulture);
        foreach (var media in session.Media)
        {
            if (!string.Equals(media.Media, "audio", StringComparison.OrdinalIgnoreCase) || media.Port <= 0 || !media.Formats.Contains(pcmu))
            {
                continue;
            }
            var connection = session.ConnectionFor(media);
            if (connection is null || !IPAddress.TryParse(connection.Address, out var address))
            {
                error = "the PCMU stream has no c= line with an IP address";
                return false;
            }
            remoteRtp = new IPEndPoint(address, media.Port);
            return true;
        }
        error = "no active audio stream offers PCMU (payload type 0)";
        return false;
    }

    /// <summary>Our SDP: one sendrecv PCMU stream on <paramref name="localRtp"/>; used as the gateway's answer and the demo caller's offer.</summary>
    public static byte[] Build(IPEndPoint localRtp, ulong sessionId, ulong version = 1)
    {
        var addressType = localRtp.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var address = localRtp.Address.ToString();
        var media = new SdpMediaDescription(
            "audio",
            localRtp.Port,
            "RTP/AVP",
            [G711.PcmuPayloadType.ToString(CultureInfo.InvariantCulture)],
            null,
            [new SdpAttribute("rtpmap", "0 PCMU/8000"), new SdpAttribute("ptime", "20"), new SdpAttribute("sendrecv", null)]);
        var session = new SdpSession(
            new SdpOrigin("-", sessionId, version, "IN", addressType, address),
            "-",
            new SdpConnection("IN", addressType, address),
            [],
            [media]);
        return session.ToBytes();
    }

    /// <summary>A random SDP session ID (RFC 4566 §5.2 recommends an NTP-like unique number; 62 random bits are unique enough).</summary>
    public static ulong NewSessionId() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2;

    /// <summary>The message's SDP as text: its whole body, or the <c>application/sdp</c> part of a multipart one (RFC 5621).</summary>
    /// <returns>False, with <paramref name="error"/> saying why, when there is no body or no SDP part.</returns>
    internal static bool TryGetSdpText(SipMessage message, out string? text, out string? error)
    {
        text = null;
        if (message.Body.IsEmpty)
        {
            error = "no SDP offer (a body is required; offerless INVITEs are not supported)";
            return false;
        }
        if (!MessageBody.TryFindPart(message.ContentType, message.Body, "application", "sdp", out var part, out error))
        {
            return false;
        }
        text = Encoding.UTF8.GetString(part!.Body.Span);
        return true;
    }
}
