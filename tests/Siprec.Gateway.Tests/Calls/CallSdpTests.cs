using System.Net;
using System.Text;
using Siprec.Gateway.Calls;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Gateway.Tests.Calls;

public sealed class CallSdpTests
{
    private static SipRequest Invite(string? sdp, string contentType = "application/sdp")
    {
        var invite = new SipRequest(SipMethods.Invite, SipUri.Parse("sip:bot@127.0.0.1"));
        return sdp is null ? invite : invite.WithBody(contentType, Encoding.UTF8.GetBytes(sdp.ReplaceLineEndings("\r\n")));
    }

    [Fact]
    public void TryReadPcmu_FindsTheCallersRtpAddress_InAnOfferWithPcmu()
    {
        var offer = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.2\nt=0 0\nm=audio 40000 RTP/AVP 8 0 101\n";

        Assert.True(CallSdp.TryReadPcmu(Invite(offer), out var remote, out var error), error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 40000), remote);
    }

    [Fact]
    public void TryReadPcmu_SkipsADeclinedStream_AndUsesTheNextAudioStreamWithPcmu()
    {
        var offer = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 0 RTP/AVP 0\nm=audio 40002 RTP/AVP 0\n";

        Assert.True(CallSdp.TryReadPcmu(Invite(offer), out var remote, out _));
        Assert.Equal(40002, remote!.Port);
    }

    [Theory]
    [InlineData("multipart/mixed;boundary=b1")]
    [InlineData("multipart/alternative;boundary=b1")]
    [InlineData("multipart/alternative")]
    public void TryReadPcmu_ReadsTheSdpPartOfAnyMultipartBody(string contentType)
    {
        var body = "--b1\nContent-Type: text/plain\n\nrecorded call\n--b1\nContent-Type: application/sdp\n\n"
                   + "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.3\nt=0 0\nm=audio 40004 RTP/AVP 0\n\n--b1--\n";

        Assert.True(CallSdp.TryReadPcmu(Invite(body, contentType), out var remote, out var error), error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 40004), remote);
    }

    [Fact]
    public void TryReadPcmu_RefusesAMultipartBodyWithoutSdp_NamingItsParts()
    {
        var body = "--b1\nContent-Type: text/plain\n\nrecorded call\n--b1--\n";

        Assert.False(CallSdp.TryReadPcmu(Invite(body, "multipart/alternative;boundary=b1"), out _, out var error));
        Assert.Contains("no application/sdp part; parts: text/plain", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 40000 RTP/AVP 8\n", "PCMU")]
    [InlineData(null, "no SDP offer")]
    [InlineData("garbage", "does not parse")]
    public void TryReadPcmu_RefusesAnOfferWithoutUsablePcmu_SayingWhy(string? offer, string reason)
    {
        Assert.False(CallSdp.TryReadPcmu(Invite(offer), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AnswersOneSendrecvPcmuStream_OnTheGivenSocketAddress()
    {
        var bytes = CallSdp.Build(new IPEndPoint(IPAddress.Loopback, 42000), 7);

        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(bytes), out var sdp, out var error), error);
        var media = Assert.Single(sdp!.Media);
        Assert.Equal(42000, media.Port);
        Assert.Equal(["0"], media.Formats);
        Assert.Equal(SdpDirection.SendRecv, media.Direction);
        Assert.Equal("127.0.0.1", sdp.ConnectionFor(media)!.Address);
    }
}
