using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Recording.Dialogs;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Tests.Dialogs;

public sealed class DialogSrtpTests : IAsyncLifetime
{
    private readonly List<RtpForwarder> _forwarders = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var forwarder in _forwarders) await forwarder.DisposeAsync();
    }

    private RtpForwarder[] Streams(int count) => Enumerable.Range(1, count).Select(_ =>
    {
        var forwarder = new RtpForwarder(RtpSocket.Bind(IPAddress.Loopback));
        _forwarders.Add(forwarder);
        return forwarder;
    }).ToArray();

    private static SdpSession Answer(params SdesCrypto?[] keys)
    {
        var text = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + string.Concat(keys.Select((k, i) =>
            k is null ? $"m=audio {41000 + 2 * i} RTP/AVP 0\r\na=recvonly\r\n" : $"m=audio {41000 + 2 * i} RTP/SAVP 0\r\na=recvonly\r\na=crypto:{k.FormatAttributeValue()}\r\n"));
        Assert.True(SdpSession.TryParse(text, out var session, out var error), error);
        return session!;
    }

    [Fact]
    public void New_GivesEachForwarderItsOwnSendingKey_AndNoRecorderKeyYet()
    {
        var streams = Streams(2);

        using var srtp = new DialogSrtp(streams);

        Assert.Equal(2, srtp.Offered.Count);
        Assert.All(streams, s => Assert.NotNull(s.Srtp));
        Assert.NotSame(streams[0].Srtp, streams[1].Srtp);
        Assert.All(streams, s => Assert.Null(s.RecorderSrtp));
    }

    [Fact]
    public void ApplyRecorderKeys_KeepsTheContextForAnUnchangedKey_ReplacesAChangedOne_AndClearsARemovedOne()
    {
        var streams = Streams(2);
        using var srtp = new DialogSrtp(streams);
        var first = SdesCrypto.CreateRandom();
        var second = SdesCrypto.CreateRandom();

        srtp.ApplyRecorderKeys(Answer(first, second));
        var kept = streams[0].RecorderSrtp;
        var replaced = streams[1].RecorderSrtp;
        srtp.ApplyRecorderKeys(Answer(first, SdesCrypto.CreateRandom()));

        Assert.NotNull(kept);
        Assert.Same(kept, streams[0].RecorderSrtp);
        Assert.NotSame(replaced, streams[1].RecorderSrtp);
        Assert.False(replaced!.TryProtectRtcp(new byte[8] { 0x80, 201, 0, 1, 0, 0, 0, 7 }, new byte[64], out _)); // disposed

        srtp.ApplyRecorderKeys(Answer(first, null));
        Assert.Null(streams[1].RecorderSrtp);
    }
}
