using System.Net;
using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Benchmarks;

/// <summary>The messages an SRC sends and receives: a SIPREC INVITE (2 sendonly m-lines + RFC 7865 metadata) and its 200 OK.</summary>
internal static class SiprecMessages
{
    private const string Metadata = """
        <?xml version="1.0" encoding="UTF-8"?>
        <recording xmlns="urn:ietf:params:xml:ns:recording:1">
          <datamode>complete</datamode>
          <session session_id="hVpd7YQgRW2nD22h7q60JQ==">
            <sipSessionID>ab30317f1a784dc48ff824d0d3715d86;remote=47755a9de7794ba387653f2099600ef2</sipSessionID>
          </session>
          <participant participant_id="srfBElmCRp2QB23b7Mpk0w==">
            <nameID aor="sip:+4930123456@carrier.example.com"><name>Caller</name></nameID>
          </participant>
          <participant participant_id="zSfPoSvdSDCmU3A3TRDxAw==">
            <nameID aor="sip:bot@flow.example.com"><name>Voice bot</name></nameID>
          </participant>
          <stream stream_id="UAAMm5GRQKSCMVvLyl4rFw==" session_id="hVpd7YQgRW2nD22h7q60JQ=="><label>1</label></stream>
          <stream stream_id="i1Pz3to5hGk8fuXl+PbwCw==" session_id="hVpd7YQgRW2nD22h7q60JQ=="><label>2</label></stream>
          <sessionrecordingassoc session_id="hVpd7YQgRW2nD22h7q60JQ=="><associate-time>2026-08-20T10:00:00Z</associate-time></sessionrecordingassoc>
          <participantsessionassoc participant_id="srfBElmCRp2QB23b7Mpk0w==" session_id="hVpd7YQgRW2nD22h7q60JQ=="><associate-time>2026-08-20T10:00:00Z</associate-time></participantsessionassoc>
          <participantsessionassoc participant_id="zSfPoSvdSDCmU3A3TRDxAw==" session_id="hVpd7YQgRW2nD22h7q60JQ=="><associate-time>2026-08-20T10:00:00Z</associate-time></participantsessionassoc>
          <participantstreamassoc participant_id="srfBElmCRp2QB23b7Mpk0w=="><send>UAAMm5GRQKSCMVvLyl4rFw==</send></participantstreamassoc>
          <participantstreamassoc participant_id="zSfPoSvdSDCmU3A3TRDxAw=="><send>i1Pz3to5hGk8fuXl+PbwCw==</send></participantstreamassoc>
        </recording>
        """;

    public static SipRequest Invite()
    {
        var address = IPAddress.Parse("192.0.2.10");
        var media = new List<SdpMediaDescription>();
        for (var label = 1; label <= 2; label++)
        {
            media.Add(new SdpMediaDescription("audio", 40000 + (2 * label), "RTP/AVP", ["0", "8", "101"], null,
            [
                new SdpAttribute("rtpmap", "0 PCMU/8000"), new SdpAttribute("rtpmap", "8 PCMA/8000"),
                new SdpAttribute("rtpmap", "101 telephone-event/8000"), new SdpAttribute("label", label.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new SdpAttribute("sendonly", null),
            ]));
        }
        var sdp = new SdpSession(new SdpOrigin("siprec", 3748291, 1, "IN", "IP4", "192.0.2.10"), "SIPREC", SdpConnection.For(address), [], media);
        var body = MultipartBody.Build(
        [
            MimePart.Create("application/sdp", sdp.ToBytes()),
            MimePart.Create("application/rs-metadata+xml", Encoding.UTF8.GetBytes(Metadata), "recording-session"),
        ], out var boundary);
        var request = new SipRequest("INVITE", SipUri.Parse("sip:srs@192.0.2.20:5060;transport=udp"))
        {
            Headers =
            [
                new SipHeader("Via", "SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK3b5f0c9e8a1d4f27;rport"),
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("From", "<sip:src@192.0.2.10:5070>;tag=6f1c2a9d04e8b371"),
                new SipHeader("To", "<sip:srs@192.0.2.20:5060>"),
                new SipHeader("Call-ID", "0c4f7a2e9b1d48e6a5f3c2b1d0e9f8a7@192.0.2.10"),
                new SipHeader("CSeq", "1 INVITE"),
                new SipHeader("Contact", "<sip:src@192.0.2.10:5070>;+sip.src"),
                new SipHeader("Require", "siprec"),
                new SipHeader("Supported", "timer, 100rel, replaces"),
                new SipHeader("Session-Expires", "1800;refresher=uac"),
                new SipHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE"),
                new SipHeader("User-Agent", "Siprec.FlowNode/1.0"),
            ],
        };
        return request.WithBody("multipart/mixed;boundary=" + boundary, body);
    }

    public static SipResponse Ok(SipRequest invite)
    {
        var answer = SdpSession.TryParse("v=0\r\no=srs 1 1 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\n" +
            "m=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=label:1\r\na=recvonly\r\n" +
            "m=audio 30002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=label:2\r\na=recvonly\r\n", out var sdp, out _) ? sdp! : throw new InvalidOperationException("answer SDP");
        return SipResponse.CreateFor(invite, 200, toTag: "a73kszlfl")
            .AddHeader("Contact", "<sip:srs@192.0.2.20:5060>;+sip.srs")
            .AddHeader("Require", "timer")
            .AddHeader("Session-Expires", "1800;refresher=uac")
            .WithBody("application/sdp", sdp!.ToBytes());
    }
}
