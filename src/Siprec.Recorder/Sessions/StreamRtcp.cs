using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// The RTCP of one recorded stream on the SRS (RFC 3550 §6): its socket on the RTP port + 1 (§11), the SRC's sender
/// reports (counted; their NTP time becomes the LSR of our blocks), reception statistics of the RTP the stream receives
/// (loss and jitter, Appendix A), and receiver reports with one block, sent back to the address the SRC's RTCP came
/// from every 5 s × [0.5, 1.5] (§6.2) and once more with a BYE when the session ends (§6.6). No RR is sent before the
/// SRC's first RTCP (there is nowhere known to send it). On an SRTP stream the RTCP is SRTCP (RFC 3711 §3.4): only
/// what authenticates with the SRC's key is read (the rest is counted in <see cref="RtcpSummary.Rejected"/>), and the
/// RRs go protected with the SRS's own key from its answer. Thread-safe.
/// </summary>
internal sealed class StreamRtcp : IAsyncDisposable
{
    /// <summary>Nominal report interval (RFC 3550 §6.2 minimum).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const int ClockRate = 8000;
    private const int MaxPacket = 512;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _sessionId;
    private readonly string _cname = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
    private readonly SrtpContext? _srcSrtp;
    private readonly SrtpContext? _ownSrtp;
    private RtpReceptionStatistics? _statistics;
    private IPEndPoint? _peer;
    private ITimer? _timer;
    private long _senderReports;
    private long _receiverReportsSent;
    private long _rejected;
    private double? _lastFractionLost;
    private bool _closed;

    /// <param name="socket">The stream's RTCP socket (RTP port + 1).</param>
    /// <param name="srcCrypto">The SRC's <c>a=crypto</c> of the stream (offer); null for plain RTP.</param>
    /// <param name="ownCrypto">The SRS's <c>a=crypto</c> of the stream (answer); null for plain RTP.</param>
    /// <param name="sessionId">For log lines.</param>
    /// <param name="time">Clock of the report timer and of the reception statistics.</param>
    /// <param name="logger">Receives report failures.</param>
    public StreamRtcp(RtpSocket socket, SdesCrypto? srcCrypto, SdesCrypto? ownCrypto, string sessionId, TimeProvider time, ILogger logger)
    {
        Socket = socket;
        // SRTCP keys come from the same master keys as the stream's SRTP (RFC 3711 §4.3.2); contexts of its own keep the
        // SRTCP replay windows and index apart from the RTP path's context.
        if (srcCrypto is not null && ownCrypto is not null)
        {
            _srcSrtp = new SrtpContext(srcCrypto.MasterKey, srcCrypto.Suite);
            _ownSrtp = new SrtpContext(ownCrypto.MasterKey, ownCrypto.Suite);
        }
        Secure = srcCrypto is not null;
        _sessionId = sessionId;
        _time = time;
        _logger = logger;
        Ssrc = (uint)Random.Shared.NextInt64(1, 1L << 32);
    }

    public RtpSocket Socket { get; }

    /// <summary>SRTP stream: RTCP is SRTCP both ways (RFC 3711 §3.4).</summary>
    public bool Secure { get; }

    /// <summary>The SRS's own SSRC in its receiver reports.</summary>
    public uint Ssrc { get; }

    /// <summary>Starts the receive loop and the report timer.</summary>
    public void Start()
    {
        Socket.Start(OnRtcp);
        lock (_gate) _timer = _time.CreateTimer(static s => ((StreamRtcp)s!).Tick(), this, Next(Interval / 2), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts one RTP packet of the stream (after SRTP, if any) in the reception statistics; a new SSRC starts them afresh.</summary>
    public void OnRtp(RtpHeader header)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (_statistics is null || (_statistics.HasPackets && _statistics.SourceSsrc != header.Ssrc))
                _statistics = new RtpReceptionStatistics(ClockRate, _time);
            _statistics.Receive(header);
        }
    }

    /// <summary>What the sidecar shows (RFC 3550 §6.4.1 terms); fraction lost is the one in the last RR sent.</summary>
    public RtcpSummary Summary()
    {
        lock (_gate)
        {
            return new RtcpSummary(_senderReports, _receiverReportsSent, _lastFractionLost,
                _statistics?.CumulativeLost ?? 0, _statistics?.JitterMilliseconds ?? 0, Interlocked.Read(ref _rejected));
        }
    }

    /// <summary>Stops the timer, sends the final RR with a BYE to the SRC's RTCP address, and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        ITimer? timer;
        lock (_gate)
        {
            if (_closed) return;
            timer = _timer;
            _timer = null;
        }
        if (timer is not null) await timer.DisposeAsync().ConfigureAwait(false);
        Send(bye: true);
        lock (_gate) _closed = true;
        await Socket.DisposeAsync().ConfigureAwait(false);
        _srcSrtp?.Dispose();
        _ownSrtp?.Dispose();
    }

    private void OnRtcp(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (!Secure)
        {
            Read(datagram, remote);
            return;
        }
        // Only SRTCP that authenticates with the SRC's key is believed, and only its sender becomes the RR's peer.
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        try
        {
            if (_srcSrtp is not null && _srcSrtp.TryUnprotectRtcp(datagram, buffer, out int length)) Read(buffer.AsSpan(0, length), remote);
            else Interlocked.Increment(ref _rejected);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Read(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (!RtcpCompoundPacket.TryRead(datagram, out var compound)) return;
        lock (_gate)
        {
            if (_closed) return;
            _peer = remote;
            foreach (var sr in compound!.Packets.OfType<RtcpSenderReport>())
            {
                _senderReports++;
                if (_statistics is null || sr.Ssrc == _statistics.SourceSsrc) _statistics?.ReceiveSenderReport(sr.NtpTimestamp);
            }
        }
    }

    private void Tick()
    {
        try
        {
            Send(bye: false);
        }
        catch (Exception ex)
        {
            Log.RtcpReportFailed(_logger, ex, _sessionId);
        }
        lock (_gate) _timer?.Change(Next(Interval), Timeout.InfiniteTimeSpan);
    }

    private void Send(bool bye)
    {
        RtcpCompoundPacket compound;
        IPEndPoint peer;
        lock (_gate)
        {
            if (_closed || _peer is null || (Secure && _ownSrtp is null)) return;
            peer = _peer;
            var block = _statistics?.CreateReportBlock();
            IReadOnlyList<RtcpReportBlock> blocks = block is { } b ? [b] : [];
            if (block is { } reported) _lastFractionLost = reported.FractionLostRatio;
            var parts = new List<RtcpPacket> { new RtcpReceiverReport(Ssrc, blocks), new RtcpSourceDescription(Ssrc, _cname) };
            if (bye) parts.Add(new RtcpBye([Ssrc], "recording ended"));
            compound = new RtcpCompoundPacket(parts);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(MaxPacket);
        try
        {
            int length = compound.Write(buffer);
            if (_ownSrtp is not null && !_ownSrtp.TryProtectRtcp(buffer.AsSpan(0, length), buffer, out length)) return;
            if (Socket.TrySend(buffer.AsSpan(0, length), peer))
                lock (_gate) _receiverReportsSent++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TimeSpan Next(TimeSpan nominal) => nominal * (0.5 + Random.Shared.NextDouble());
}
