using System.Text;
using Siprec.Media.Rtp;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Testing.Srs;

/// <summary>The SDP answers (RFC 3264 §6, RFC 7866 §8.1): recvonly on this fake's two RTP sockets, labels mirrored.</summary>
public sealed partial class FakeSrs
{
    /// <summary>
    /// An SDP answer that sends the SRC's first <paramref name="streams"/> streams (at most two) to this fake's sockets,
    /// recvonly, for a test to put in its own request.
    /// </summary>
    public string AnswerSdp(int streams = 2) => string.Join("\r\n",
        SessionLines(version: 2).Concat(Sockets.Take(streams).SelectMany(m => new[] { $"m=audio {m.LocalEndPoint.Port} RTP/AVP 0", "a=recvonly" }))) + "\r\n";

    private RtpSocket[] Sockets => [CallerMedia, BotMedia];

    // The session-level lines (RFC 4566 §5); a test's own answer carries a higher o= version (RFC 3264 §8).
    private static List<string> SessionLines(int version) => ["v=0", $"o=srs 1 {version} IN IP4 127.0.0.1", "s=fake srs", "c=IN IP4 127.0.0.1", "t=0 0"];

    // One m-line per offered stream (at most two; two when the request has no SDP): inactive stays inactive, anything
    // else is answered recvonly unless a direction is forced; a declined position gets port 0.
    private SipResponse AnswerOffer(SipRequest request, string? tag, string? forcedDirection = null)
    {
        var offer = SiprecBody.ReadSdp(request);
        var lines = SessionLines(version: 1);
        var sockets = Sockets;
        for (var i = 0; i < (offer?.Media.Count ?? 2) && i < sockets.Length; i++)
        {
            var direction = forcedDirection ?? (offer?.Media[i].Direction == SdpDirection.Inactive ? "inactive" : "recvonly");
            var port = DeclinedStreams.Contains(i) ? 0 : sockets[i].LocalEndPoint.Port;
            lines.AddRange([$"m=audio {port} RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=" + direction]);
            if (!OmitLabels)
                lines.Add("a=label:" + (offer?.Media[i].Label ?? (i + 1).ToString()));
        }

        var sdp = Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");
        var response = SipResponse.CreateFor(request, 200, toTag: tag).AddHeader("Contact", $"<{Uri}>");
        if (AllowUpdate)
            response = response.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO");
        if (MultipartAnswer && tag is not null)
        {
            var body = MultipartBody.Build([MimePart.Create("application/sdp", sdp), MimePart.Create("application/rs-metadata+xml", Encoding.UTF8.GetBytes("<x/>"), "recording-session")], out var boundary);
            response = response.WithBody("multipart/mixed;boundary=" + boundary, body);
        }
        else
        {
            response = response.WithBody("application/sdp", sdp);
        }

        return SessionExpiresAnswer is { } se ? response.AddHeader("Session-Expires", se).AddHeader("Require", "timer") : response;
    }
}
