using System.Net;
using Siprec.Recording.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Tests.Offers;

public sealed class RecordingSdpRtcpTests
{
    private static SdpSession Answer(string media)
    {
        var text = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + media;
        Assert.True(SdpSession.TryParse(text, out var session, out var error), error);
        return session!;
    }

    [Fact]
    public void ReadRtcpDestinations_TakesTheRfc3605PortAndAddress_ElseLeavesTheDefault()
    {
        var answer = Answer(
            "m=audio 41000 RTP/AVP 0\r\na=rtcp:41005\r\n" +
            "m=audio 41002 RTP/AVP 0\r\na=rtcp:53020 IN IP4 127.0.0.9\r\n" +
            "m=audio 41004 RTP/AVP 0\r\na=rtcp-mux\r\n" +
            "m=audio 41006 RTP/AVP 0\r\na=rtcp:nonsense\r\n");
        var rtp = RecordingSdp.ReadDestinations(answer, 4);

        var rtcp = RecordingSdp.ReadRtcpDestinations(answer, rtp);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 41005), rtcp[0]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 53020), rtcp[1]);
        Assert.Null(rtcp[2]); // rtcp-mux was not offered, so it is not honoured: RTP port + 1
        Assert.Null(rtcp[3]);
    }

    [Fact]
    public void ReadRtcpDestinations_IgnoresDeclinedStreams()
    {
        var answer = Answer("m=audio 0 RTP/AVP 0\r\na=rtcp:41005\r\n");

        Assert.Null(RecordingSdp.ReadRtcpDestinations(answer, RecordingSdp.ReadDestinations(answer, 1))[0]);
    }

    [Fact]
    public void Build_OffersNeitherRtcpNorRtcpMux_BecauseRtcpIsOnRtpPortPlusOne()
    {
        var text = RecordingSdp.Build("siprec-src", 7, 1, IPAddress.Loopback, [("1", 40000)], SdpDirection.SendOnly).ToString();

        Assert.DoesNotContain("a=rtcp", text);
    }
}
