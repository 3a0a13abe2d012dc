using System.Text;
using Siprec.Media.Srtp;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Tests.Support;

/// <summary>SIPREC offer bodies as an SRC builds them (RFC 7866 §6.1, DESIGN §4.3).</summary>
internal static class SiprecBodies
{
    public const string Metadata = """
        <?xml version="1.0" encoding="UTF-8"?>
        <recording xmlns="urn:ietf:params:xml:ns:recording:1" xmlns:fn="urn:x-siprec-flownode:recording:1">
          <datamode>complete</datamode>
          <session session_id="U2Vzc2lvbklkMDAwMDAwMA=="><sipSessionID>call-1@example.com</sipSessionID></session>
          <participant participant_id="Q2FsbGVyMDAwMDAwMDAwMA=="><nameID aor="sip:+15550001@example.com"><name>Caller</name></nameID></participant>
          <participant participant_id="Qm90MDAwMDAwMDAwMDAwMA=="><nameID aor="sip:bot@flow.example.com"><name>Bot</name></nameID></participant>
          <stream stream_id="U3RyZWFtMTAwMDAwMDAwMA==" session_id="U2Vzc2lvbklkMDAwMDAwMA=="><label>1</label></stream>
          <stream stream_id="U3RyZWFtMjAwMDAwMDAwMA==" session_id="U2Vzc2lvbklkMDAwMDAwMA=="><label>2</label></stream>
          <participantstreamassoc participant_id="Q2FsbGVyMDAwMDAwMDAwMA=="><send>U3RyZWFtMTAwMDAwMDAwMA==</send><recv>U3RyZWFtMjAwMDAwMDAwMA==</recv></participantstreamassoc>
          <participantstreamassoc participant_id="Qm90MDAwMDAwMDAwMDAwMA=="><send>U3RyZWFtMjAwMDAwMDAwMA==</send><recv>U3RyZWFtMTAwMDAwMDAwMA==</recv></participantstreamassoc>
          <fn:extension><fn:recordingId>rec-2026-001</fn:recordingId><fn:callSid>CA0001</fn:callSid><fn:accountSid>AC0001</fn:accountSid><fn:applicationSid>AP0001</fn:applicationSid></fn:extension>
        </recording>
        """;

    public static SdpSession Offer(ulong version, SdpDirection direction, params int[] ports)
    {
        var media = ports.Select((port, i) => new SdpMediaDescription("audio", port, "RTP/AVP", ["0"], null,
            [new SdpAttribute("rtpmap", "0 PCMU/8000"), new SdpAttribute("label", (i + 1).ToString()), new SdpAttribute(DirectionName(direction), null)])).ToList();
        return new SdpSession(new SdpOrigin("src", 7, version, "IN", "IP4", "127.0.0.1"), "siprec", new SdpConnection("IN", "IP4", "127.0.0.1"), [], media);
    }

    /// <summary><paramref name="offer"/> with every m-line RTP/SAVP and its own SDES key (RFC 4568 §5.1.1), in order.</summary>
    public static SdpSession Secure(SdpSession offer, IReadOnlyList<SdesCrypto> keys) => offer with
    {
        Media = offer.Media.Select((m, i) => m with
        {
            Protocol = SdesCrypto.SavpProtocol,
            Attributes = [.. m.Attributes, new SdpAttribute(SdesCrypto.AttributeName, keys[i].FormatAttributeValue())],
        }).ToList(),
    };

    /// <summary>The SDES key of each m-line of an answer; fails the test when a line has none.</summary>
    public static List<SdesCrypto> AnswerKeys(SdpSession answer) =>
        answer.Media.Select(m => Assert.IsType<SdesCrypto>(SdesCrypto.TryParse(m.GetAttribute(SdesCrypto.AttributeName), out var c, out _) ? c : null)).ToList();

    /// <summary>The multipart/mixed body and its Content-Type.</summary>
    public static (string ContentType, byte[] Body) Multipart(SdpSession sdp, string metadata = Metadata)
    {
        var body = MultipartBody.Build(
        [
            new MimePart([new SipHeader("Content-Type", "application/sdp")], sdp.ToBytes()),
            new MimePart([new SipHeader("Content-Type", "application/rs-metadata+xml"), new SipHeader("Content-Disposition", "recording-session")], Encoding.UTF8.GetBytes(metadata)),
        ], out var boundary);
        return ($"multipart/mixed;boundary={boundary}", body);
    }

    /// <summary>The SDP answer in a 200 OK; fails the test when it does not parse.</summary>
    public static SdpSession Answer(SipResponse response)
    {
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(response.Body.Span), out var sdp, out var error), error);
        return sdp!;
    }

    private static string DirectionName(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };
}
