using System.Net;
using Siprec.Recording.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Tests.Offers;

public sealed class RecordingSdpTests
{
    [Fact]
    public void Build_WritesTwoLabelledSendonlyPcmuLines_OnTheMediaAddress()
    {
        var sdp = RecordingSdp.Build("siprec-src", 7, 3, IPAddress.Loopback, [("1", 40000), ("2", 40002)], SdpDirection.SendOnly);

        var text = sdp.ToString();
        Assert.Contains("m=audio 40000 RTP/AVP 0 101\r\n", text);
        Assert.Contains("m=audio 40002 RTP/AVP 0 101\r\n", text);
        Assert.Contains("a=rtpmap:0 PCMU/8000", text);
        Assert.Contains("a=rtpmap:101 telephone-event/8000", text);
        Assert.Contains("c=IN IP4 127.0.0.1", text);
        Assert.Equal(2, sdp.Media.Count(m => m.Direction == SdpDirection.SendOnly));
        Assert.Equal(3ul, sdp.Origin.SessionVersion);
    }

    [Fact]
    public void ReadDestinations_MatchesByPosition_AndTreatsPortZeroAsDeclined()
    {
        const string answer = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=audio 0 RTP/AVP 0\r\na=label:9\r\n" +
            "m=audio 41000 RTP/AVP 0\r\nc=IN IP4 127.0.0.2\r\na=recvonly\r\n";
        Assert.True(SdpSession.TryParse(answer, out var session, out var error), error);

        var destinations = RecordingSdp.ReadDestinations(session!, 2);

        Assert.Null(destinations[0]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 41000), destinations[1]);
    }

    [Fact]
    public void ReadDestinations_LeavesMissingAndInactiveLinesWithoutDestination()
    {
        const string answer = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=audio 41000 RTP/AVP 0\r\na=inactive\r\n";
        Assert.True(SdpSession.TryParse(answer, out var session, out _));

        var destinations = RecordingSdp.ReadDestinations(session!, 2);

        Assert.Equal([null, null], destinations);
    }
}
