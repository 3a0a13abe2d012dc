using System.Net;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;

namespace Siprec.Media.Tests.Forwarding;

/// <summary>
/// A loopback test recorder on an RTP/RTCP port pair: drops every n-th RTP packet it receives (the ones with index
/// ≡ n/2 mod n), measures the rest with <see cref="RtpReceptionStatistics"/>, and answers every SR with an RR + SDES
/// to the SR's source address. Secure when given keys: it unprotects the forwarder's SRTP and SRTCP with
/// <c>forwarderKey</c> and sends its RRs as SRTCP under <c>ownKey</c> (RFC 3711 §3.4).
/// </summary>
internal sealed class LossyRecorder : IAsyncDisposable
{
    public const uint Ssrc = 0x5EC0DE;
    private readonly object _gate = new();
    private readonly RtpSocket _rtp;
    private readonly RtpSocket _rtcp;
    private readonly RtpReceptionStatistics _statistics;
    private readonly int _dropEvery;
    private readonly SrtpContext? _forwarderKey;
    private readonly SrtpContext? _ownKey;
    private int _seen;

    public LossyRecorder(TimeProvider time, int dropEvery, SrtpContext? forwarderKey = null, SrtpContext? ownKey = null)
    {
        _dropEvery = dropEvery;
        _forwarderKey = forwarderKey;
        _ownKey = ownKey;
        _statistics = new RtpReceptionStatistics(8000, time);
        (_rtp, _rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
        _rtp.Start(OnRtp);
        _rtcp.Start(OnRtcp);
    }

    public IPEndPoint RtpEndPoint => _rtp.LocalEndPoint;
    public int Seen { get { lock (_gate) return _seen; } }
    public List<RtcpSenderReport> SenderReports { get; } = [];
    public IPEndPoint? SenderReportSource { get; private set; }
    public string? Cname { get; private set; }

    private void OnRtp(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        var packet = datagram.ToArray();
        int length = packet.Length;
        if (_forwarderKey is not null && !_forwarderKey.TryUnprotect(datagram, packet, out length)) return;
        if (!RtpHeader.TryRead(packet.AsSpan(0, length), out var header, out _)) return;
        lock (_gate)
        {
            int index = _seen++;
            if (index % _dropEvery == _dropEvery / 2) return;
            _statistics.Receive(header);
        }
    }

    private void OnRtcp(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        var packet = datagram.ToArray();
        int length = packet.Length;
        if (_forwarderKey is not null && !_forwarderKey.TryUnprotectRtcp(datagram, packet, out length)) return;
        if (!RtcpCompoundPacket.TryRead(packet.AsSpan(0, length), out var compound) || compound!.Packets[0] is not RtcpSenderReport sr) return;
        RtcpCompoundPacket answer;
        lock (_gate)
        {
            SenderReports.Add(sr);
            SenderReportSource = remote;
            Cname = compound.Packets.OfType<RtcpSourceDescription>().FirstOrDefault()?.Cname;
            _statistics.ReceiveSenderReport(sr.NtpTimestamp);
            answer = new RtcpCompoundPacket([new RtcpReceiverReport(Ssrc, [_statistics.CreateReportBlock()!.Value]), new RtcpSourceDescription(Ssrc, "recorder")]);
        }
        var bytes = new byte[answer.Length + SrtpContext.RtcpOverhead];
        int written = answer.Write(bytes);
        if (_ownKey is not null) Assert.True(_ownKey.TryProtectRtcp(bytes.AsSpan(0, written), bytes, out written));
        _rtcp.Send(bytes.AsSpan(0, written), remote);
    }

    public async ValueTask DisposeAsync()
    {
        await _rtp.DisposeAsync();
        await _rtcp.DisposeAsync();
    }
}
