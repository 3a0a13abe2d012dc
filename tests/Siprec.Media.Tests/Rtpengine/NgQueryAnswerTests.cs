using Siprec.Media.Rtpengine;

namespace Siprec.Media.Tests.Rtpengine;

/// <summary>
/// <see cref="NgQueryAnswer"/> over a <c>query</c> answer captured from Debian's rtpengine-daemon 10.5.3.5 (userspace, loopback)
/// by <c>Resources/capture-query.py</c>: a two-leg <c>publish</c> (from-tag <c>siprec-src</c>), one <c>subscribe</c> answered by a
/// recvonly "SRS", 50 packets on leg 1 then 30 on leg 2, then <c>block media</c> and 10 more on leg 1 (the SRS got 50 and 30).
/// </summary>
public sealed class NgQueryAnswerTests
{
    private static IReadOnlyDictionary<string, object> Captured()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Rtpengine", "Resources", "query-publish-subscribe.bencode"));
        Assert.True(Bencode.TryParse(bytes, out var value, out var error), error);
        return (IReadOnlyDictionary<string, object>)value!;
    }

    [Fact]
    public void ThePublishersRtpStreamsCountWhatRtpengineReceived_IncludingPacketsItBlocked()
    {
        var streams = NgQueryAnswer.ReadRtpStreams(Captured());

        var published = streams.Where(s => s.Tag == "siprec-src").OrderBy(s => s.MediaIndex).ToList();
        Assert.Equal([1, 2], published.Select(s => s.MediaIndex));
        Assert.Equal(60, published[0].Packets); // 50 forwarded + 10 received while the subscription was blocked
        Assert.Equal(60 * 172, published[0].Bytes);
        Assert.Equal(30, published[1].Packets);
        Assert.All(published, s => Assert.Equal(0, s.Errors));
    }

    [Fact]
    public void TheSubscribersStreamsCountOnlyWhatTheSrsSentBack_SoNoEgressCountExists()
    {
        var streams = NgQueryAnswer.ReadRtpStreams(Captured());

        var subscribed = streams.Where(s => s.Tag != "siprec-src").ToList();
        Assert.Equal(2, subscribed.Count); // RTP streams only: the RTCP stream of each pair is left out
        Assert.All(subscribed, s => Assert.Equal(0, s.Packets));
        Assert.Equal(4, streams.Count);
    }

    [Fact]
    public void AnAnswerWithoutTags_OrAStreamWithoutNumericStats_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => NgQueryAnswer.ReadRtpStreams(new Dictionary<string, object> { ["result"] = "ok" }));
        var broken = new Dictionary<string, object>
        {
            ["tags"] = new Dictionary<string, object>
            {
                ["siprec-src"] = new Dictionary<string, object>
                {
                    ["medias"] = new List<object>
                    {
                        new Dictionary<string, object>
                        {
                            ["index"] = 1L,
                            ["streams"] = new List<object> { new Dictionary<string, object> { ["flags"] = new List<object> { "RTP" }, ["stats"] = new Dictionary<string, object> { ["packets"] = "many" } } },
                        },
                    },
                },
            },
        };
        Assert.Throws<FormatException>(() => NgQueryAnswer.ReadRtpStreams(broken));
    }
}
