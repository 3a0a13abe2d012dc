using System.Net;
using System.Net.Sockets;
using Siprec.Media.Srtp;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Offers;

/// <summary>
/// The SRC's SDP (RFC 7866 §8.1, RFC 4574 labels): one <c>m=audio</c> per recorded stream, PCMU and
/// telephone-event, the direction of the moment and a fixed label. Answers are matched by m-line position.
/// For a secure recorder every m-line is <c>RTP/SAVP</c> with its own SDES <c>a=crypto</c> (RFC 4568 §5.1.1).
/// RTCP: the SRC's RTCP port is its RTP port + 1 (RFC 3550 §11; the forwarders bind even/odd pairs), so the offer
/// carries no <c>a=rtcp</c>. It offers no <c>a=rtcp-mux</c> (RFC 5761) either: port + 1 is what every recorder
/// implements, and mux matters only behind NAT; an answer's <c>a=rtcp-mux</c> is therefore not honoured (§5.1.1: an
/// answerer may include it only when offered), though RTCP arriving on the RTP port is still read.
/// </summary>
internal static class RecordingSdp
{
    private const string Profile = "RTP/AVP";
    private const string TelephoneEventPayloadType = "101";

    /// <summary>
    /// Builds the offer; every stream gets the same direction (sendonly, or inactive while paused). With
    /// <paramref name="crypto"/> (one per stream, same order) the m-lines are RTP/SAVP and carry the SRC's keys,
    /// so the SDP must only travel over TLS.
    /// </summary>
    public static SdpSession Build(string user, ulong sessionId, ulong version, IPAddress mediaAddress,
        IReadOnlyList<(string Label, int Port)> streams, SdpDirection direction, IReadOnlyList<SdesCrypto>? crypto = null)
    {
        var connection = new SdpConnection("IN", AddressType(mediaAddress), mediaAddress.ToString());
        var media = new List<SdpMediaDescription>(streams.Count);
        for (var i = 0; i < streams.Count; i++)
        {
            var (label, port) = streams[i];
            var attributes = new List<SdpAttribute>
            {
                new("rtpmap", "0 PCMU/8000"),
                new("rtpmap", TelephoneEventPayloadType + " telephone-event/8000"),
                new("fmtp", TelephoneEventPayloadType + " 0-15"),
                new("ptime", "20"),
                new(DirectionName(direction), null),
                new("label", label),
            };
            if (crypto is not null)
                attributes.Add(new(SdesCrypto.AttributeName, crypto[i].FormatAttributeValue()));
            media.Add(new SdpMediaDescription("audio", port, crypto is null ? Profile : SdesCrypto.SavpProtocol, ["0", TelephoneEventPayloadType], null, attributes));
        }

        var origin = new SdpOrigin(user, sessionId, version, "IN", AddressType(mediaAddress), mediaAddress.ToString());
        return new SdpSession(origin, "SIPREC", connection, [], media);
    }

    /// <summary>
    /// Reads where each offered stream must be sent, by m-line position: null when the answer lacks the line,
    /// declines it (port 0), says it will not receive (inactive or sendonly), or gives no usable address. When
    /// <paramref name="secure"/>, also null when the line is not RTP/SAVP with a supported <c>a=crypto</c>
    /// (RFC 4568 §5.1.2: the answer carries the SRS's key): media is never sent in clear to a secure recorder.
    /// </summary>
    public static IPEndPoint?[] ReadDestinations(SdpSession answer, int streamCount, bool secure = false)
    {
        var result = new IPEndPoint?[streamCount];
        for (var i = 0; i < streamCount && i < answer.Media.Count; i++)
        {
            var m = answer.Media[i];
            if (m.Port <= 0 || m.Port > 65535 || m.Direction is SdpDirection.Inactive or SdpDirection.SendOnly)
                continue;
            var connection = answer.ConnectionFor(m);
            if (connection is null || !IPAddress.TryParse(connection.Address, out var address))
                continue;
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                continue; // RFC 3264 §8.4 hold form: nothing to send to
            if (secure && !IsSecureAnswer(m))
                continue;
            result[i] = new IPEndPoint(address, m.Port);
        }

        return result;
    }

    /// <summary>
    /// Reads where each stream's RTCP must go when the answer says so with <c>a=rtcp:port [IN IP4|IP6 address]</c>
    /// (RFC 3605 §2.1), by m-line position: null (RTP port + 1, RFC 3550 §11) when it does not, when the stream has no
    /// RTP destination in <paramref name="rtpDestinations"/>, or when the attribute does not parse.
    /// </summary>
    public static IPEndPoint?[] ReadRtcpDestinations(SdpSession answer, IReadOnlyList<IPEndPoint?> rtpDestinations)
    {
        var result = new IPEndPoint?[rtpDestinations.Count];
        for (var i = 0; i < rtpDestinations.Count && i < answer.Media.Count; i++)
        {
            if (rtpDestinations[i] is not { } rtp || answer.Media[i].GetAttribute("rtcp") is not { } value) continue;
            var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                || port is <= 0 or > 65535)
                continue;
            var address = rtp.Address;
            if (parts.Length >= 4 && parts[0].Length > 0)
            {
                if (!IPAddress.TryParse(parts[3], out var named) || named.Equals(IPAddress.Any) || named.Equals(IPAddress.IPv6Any)) continue;
                address = named;
            }
            result[i] = new IPEndPoint(address, port);
        }

        return result;
    }

    /// <summary>
    /// Reads the peer's SDES key of each stream, by m-line position: the first supported <c>a=crypto</c> of an RTP/SAVP
    /// line (an answer carries exactly one, RFC 4568 §5.1.2); null for a missing, declined or plain RTP line.
    /// </summary>
    public static SdesCrypto?[] ReadCrypto(SdpSession sdp, int streamCount)
    {
        var result = new SdesCrypto?[streamCount];
        for (var i = 0; i < streamCount && i < sdp.Media.Count; i++)
            result[i] = sdp.Media[i].Port > 0 ? FirstCrypto(sdp.Media[i]) : null;
        return result;
    }

    private static bool IsSecureAnswer(SdpMediaDescription media) => FirstCrypto(media) is not null;

    private static SdesCrypto? FirstCrypto(SdpMediaDescription media)
    {
        if (!media.Protocol.Equals(SdesCrypto.SavpProtocol, StringComparison.OrdinalIgnoreCase)) return null;
        foreach (var attribute in media.Attributes)
        {
            if (attribute.Name.Equals(SdesCrypto.AttributeName, StringComparison.OrdinalIgnoreCase)
                && SdesCrypto.TryParse(attribute.Value, out var crypto, out _))
                return crypto;
        }
        return null;
    }

    private static string AddressType(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";

    private static string DirectionName(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };
}
