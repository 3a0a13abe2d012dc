using System.Collections.Concurrent;
using System.Net;
using Siprec.Media.Codecs;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests.Sessions;

/// <summary>
/// The SRS's RTCP over real UDP: RTCP on each stream's RTP port + 1, SRs from the SRC counted, RRs with the loss and
/// jitter the SRS measured sent back to the SR's source (on the timer and, with BYE, at session end), and the sidecar's
/// per-stream <c>rtcp</c> object; on an SRTP stream all of it as SRTCP (RFC 3711 §3.4).
/// </summary>
public sealed class RecorderRtcpTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private const uint SourceSsrc = 0x1111;
    private LoopbackSrs _loop = null!;

    public async Task InitializeAsync() => _loop = await LoopbackSrs.StartAsync();

    public async Task DisposeAsync() => await _loop.DisposeAsync();

    [Fact]
    public async Task TheSrsAnswersSenderReportsWithReceiverReports_AndTheSidecarShowsTheLossItSaw()
    {
        var srs = _loop.Server.SipEndPoint;
        var completed = _loop.NextCompletedSession();
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, _loop.Rtp1.LocalEndPoint.Port, _loop.Rtp2.LocalEndPoint.Port));
        var invite = _loop.Src.CreateInvite(srs, contentType, body);
        var ok = await _loop.Src.SendAsync(invite, srs);
        var answer = SiprecBodies.Answer(ok);
        var dialog = Dialog.CreateAsUac(invite, ok);
        await _loop.Src.Layer.SendAckAsync(dialog.CreateAck(1), srs);
        var rtp = new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(answer.Media[0])!.Address), answer.Media[0].Port);
        var session = Assert.Single(_loop.Server.ActiveSessions);
        Assert.Equal(0, rtp.Port % 2);
        Assert.Equal(rtp.Port + 1, session.Streams[0].Rtcp!.Socket.LocalEndPoint.Port);

        // 100 packets, every 10th (5, 15, …, 95) lost on the way.
        var packet = new byte[RtpHeader.Size + 160];
        for (int i = 0; i < 100; i++)
        {
            if (i % 10 == 5) continue;
            new RtpHeader(G711.PcmuPayloadType, i == 0, (ushort)(700 + i), (uint)(160 * i), SourceSsrc).Write(packet);
            _loop.Rtp1.Send(packet, rtp);
        }
        await Poll.UntilAsync(() => session.Streams[0].Packets == 90, Bound, "90 RTP packets at the SRS");

        await using var src = new RtcpPeer();
        var sr = new RtcpSenderReport(SourceSsrc, NtpTimestamp.FromDateTimeOffset(_loop.Clock.GetUtcNow()), 16000, 100, 16000, []);
        src.Send(new RtcpCompoundPacket([sr, new RtcpSourceDescription(SourceSsrc, "src")]), new IPEndPoint(rtp.Address, rtp.Port + 1));
        await Poll.UntilAsync(() => src.Received.Count >= 1, Bound, "a receiver report from the SRS", () => _loop.Clock.Advance(TimeSpan.FromSeconds(1)));

        var rr = Assert.IsType<RtcpReceiverReport>(src.Received.First().Packets[0]);
        var block = Assert.Single(rr.Blocks);
        Assert.Equal(SourceSsrc, block.Ssrc);
        Assert.Equal(10, block.CumulativeLost);
        Assert.Equal((10 << 8) / 100, block.FractionLost);
        Assert.Equal(799u, block.ExtendedHighestSequence);
        Assert.Equal(sr.NtpTimestamp.Middle32, block.LastSenderReport);
        Assert.IsType<RtcpSourceDescription>(src.Received.First().Packets[1]);

        int before = src.Received.Count;
        Assert.Equal(200, (await _loop.Src.SendAsync(dialog.CreateRequest(SipMethods.Bye), srs)).StatusCode);
        var summary = await completed.WaitAsync(Bound);
        await Poll.UntilAsync(() => src.Received.Count > before, Bound, "the final RR with BYE");
        Assert.Contains(src.Received.Last().Packets, p => p is RtcpBye);

        var json = Sidecar.Read(summary.JsonPath);
        var rtcp = json["streams"]![0]!["rtcp"]!;
        Assert.Equal(1L, (long)rtcp["senderReports"]!);
        Assert.Equal(src.Received.Count, (long)rtcp["receiverReportsSent"]!);
        Assert.Equal(10L, (long)rtcp["cumulativeLost"]!);
        Assert.Equal(10L, (long)json["streams"]![0]!["lost"]!);           // the existing key is unchanged
        Assert.Equal(0.0, (double)rtcp["fractionLost"]!);                 // the final RR's interval saw no new loss
        Assert.True((double)rtcp["jitterMs"]! >= 0);
        var silent = json["streams"]![1]!["rtcp"]!;                         // stream 2 got neither RTP nor RTCP
        Assert.Equal(0L, (long)silent["senderReports"]!);
        Assert.Equal(0L, (long)silent["receiverReportsSent"]!);
        Assert.Equal(Newtonsoft.Json.Linq.JTokenType.Null, silent["fractionLost"]!.Type);
    }

    [Fact]
    public async Task OnAnSrtpStream_TheSrsReadsSrtcpSenderReports_AnswersWithSrtcpReceiverReports_AndIgnoresTheRest()
    {
        var srs = _loop.Server.SipEndPoint;
        var completed = _loop.NextCompletedSession();
        SdesCrypto[] keys = [SdesCrypto.CreateRandom(1, SrtpCryptoSuite.AesCm128HmacSha1_32), SdesCrypto.CreateRandom(1)];
        var offer = SiprecBodies.Secure(SiprecBodies.Offer(1, SdpDirection.SendOnly, _loop.Rtp1.LocalEndPoint.Port, _loop.Rtp2.LocalEndPoint.Port), keys);
        var (contentType, body) = SiprecBodies.Multipart(offer);
        var invite = _loop.Src.CreateInvite(srs, contentType, body);
        var ok = await _loop.Src.SendAsync(invite, srs);
        var answer = SiprecBodies.Answer(ok);
        var srsKey = SiprecBodies.AnswerKeys(answer)[0];
        var dialog = Dialog.CreateAsUac(invite, ok);
        await _loop.Src.Layer.SendAckAsync(dialog.CreateAck(1), srs);
        var rtp = new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(answer.Media[0])!.Address), answer.Media[0].Port);
        var rtcp = new IPEndPoint(rtp.Address, rtp.Port + 1);
        var session = Assert.Single(_loop.Server.ActiveSessions);
        using var src = new SrtpContext(keys[0].MasterKey, keys[0].Suite);
        using var srsAtSrc = new SrtpContext(srsKey.MasterKey, srsKey.Suite);
        using var forger = new SrtpContext(SrtpMasterKey.CreateRandom());

        var packet = new byte[RtpHeader.Size + 160];
        var srtp = new byte[packet.Length + src.TagLength];
        for (int i = 0; i < 100; i++)
        {
            if (i % 10 == 5) continue;
            new RtpHeader(G711.PcmuPayloadType, i == 0, (ushort)(700 + i), (uint)(160 * i), SourceSsrc).Write(packet);
            Assert.True(src.TryProtect(packet, srtp, out _));
            _loop.Rtp1.Send(srtp, rtp);
        }
        await Poll.UntilAsync(() => session.Streams[0].Packets == 90, Bound, "90 SRTP packets at the SRS");

        await using var peer = new RtcpPeer(srsAtSrc);
        var sr = new RtcpCompoundPacket([new RtcpSenderReport(SourceSsrc, NtpTimestamp.FromDateTimeOffset(_loop.Clock.GetUtcNow()), 16000, 100, 16000, []),
            new RtcpSourceDescription(SourceSsrc, "src")]);
        peer.Send(sr, rtcp);                 // plain RTCP on an SRTP stream
        peer.Send(sr, rtcp, forger);         // SRTCP under a key that is not the SRC's
        await Poll.UntilAsync(() => session.Streams[0].Rtcp!.Summary().Rejected == 2, Bound, "plain and forged reports rejected");
        _loop.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(peer.Received);         // neither made the SRS report to anyone
        peer.Send(sr, rtcp, src);
        await Poll.UntilAsync(() => peer.Received.Count >= 1, Bound, "an SRTCP receiver report from the SRS", () => _loop.Clock.Advance(TimeSpan.FromSeconds(1)));

        var block = Assert.Single(Assert.IsType<RtcpReceiverReport>(peer.Received.First().Packets[0]).Blocks);
        Assert.Equal(SourceSsrc, block.Ssrc);
        Assert.Equal(10, block.CumulativeLost);
        Assert.Equal(0, peer.Rejected);
        int before = peer.Received.Count;
        Assert.Equal(200, (await _loop.Src.SendAsync(dialog.CreateRequest(SipMethods.Bye), srs)).StatusCode);
        var summary = await completed.WaitAsync(Bound);
        await Poll.UntilAsync(() => peer.Received.Count > before, Bound, "the final SRTCP RR with BYE");
        Assert.Contains(peer.Received.Last().Packets, p => p is RtcpBye);

        var stream = Sidecar.Read(summary.JsonPath)["streams"]![0]!["rtcp"]!;
        Assert.Equal(1L, (long)stream["senderReports"]!);
        Assert.Equal(peer.Received.Count, (long)stream["receiverReportsSent"]!);
        Assert.Equal(10L, (long)stream["cumulativeLost"]!);
        Assert.Equal(2L, (long)stream["srtcpRejected"]!);
    }

    /// <summary>
    /// The SRC's RTCP socket: keeps every compound packet it receives; with <c>srsKey</c> it reads SRTCP under that key
    /// only, counting what does not authenticate.
    /// </summary>
    private sealed class RtcpPeer : IAsyncDisposable
    {
        private readonly RtpSocket _socket = RtpSocket.Bind(IPAddress.Loopback);
        private long _rejected;

        public RtcpPeer(SrtpContext? srsKey = null) => _socket.Start((datagram, _) =>
        {
            var packet = datagram.ToArray();
            int length = packet.Length;
            if (srsKey is not null && !srsKey.TryUnprotectRtcp(datagram, packet, out length)) Interlocked.Increment(ref _rejected);
            else if (RtcpCompoundPacket.TryRead(packet.AsSpan(0, length), out var compound)) Received.Enqueue(compound!);
        });

        public ConcurrentQueue<RtcpCompoundPacket> Received { get; } = new();

        public long Rejected => Interlocked.Read(ref _rejected);

        public void Send(RtcpCompoundPacket packet, IPEndPoint to, SrtpContext? protectWith = null)
        {
            var bytes = new byte[packet.Length + SrtpContext.RtcpOverhead];
            int length = packet.Write(bytes);
            if (protectWith is not null) Assert.True(protectWith.TryProtectRtcp(bytes.AsSpan(0, length), bytes, out length));
            _socket.Send(bytes.AsSpan(0, length), to);
        }

        public ValueTask DisposeAsync() => _socket.DisposeAsync();
    }
}
