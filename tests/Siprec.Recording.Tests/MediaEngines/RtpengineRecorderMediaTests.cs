using Siprec.Recording.MediaEngines;

namespace Siprec.Recording.Tests.MediaEngines;

/// <summary>
/// The held answer a paused rtpengine subscription gets (RFC 3264 §8.4 hold by address), which rtpengine 10.5 honours by
/// sending that subscriber nothing while the call's own media goes on (the end-to-end tests run the daemon).
/// </summary>
public sealed class RtpengineRecorderMediaTests
{
    [Fact]
    public void Held_PointsEveryConnectionLineNowhere_AndKeepsPortsKeysAndEverythingElse()
    {
        const string answer = "v=0\r\no=srs 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/SAVP 0\r\nc=IN IP4 10.0.0.6\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2\r\na=recvonly\r\n"
            + "m=audio 40002 RTP/AVP 0\r\nc=IN IP6 2001:db8::1\r\na=recvonly\r\n";

        var held = RtpengineRecorderMedia.Held(answer);

        Assert.Equal(answer
            .Replace("c=IN IP4 10.0.0.5", "c=IN IP4 0.0.0.0", StringComparison.Ordinal)
            .Replace("c=IN IP4 10.0.0.6", "c=IN IP4 0.0.0.0", StringComparison.Ordinal)
            .Replace("c=IN IP6 2001:db8::1", "c=IN IP6 ::", StringComparison.Ordinal), held);
        Assert.Contains("o=srs 1 1 IN IP4 10.0.0.5", held, StringComparison.Ordinal); // the origin is not a connection
        Assert.Contains("m=audio 40000 RTP/SAVP 0", held, StringComparison.Ordinal);
    }
}
