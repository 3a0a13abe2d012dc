using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;

namespace Siprec.Media.Forwarding;

/// <summary>
/// The RTCP side of one <see cref="RtpForwarder"/> (RFC 3550 §6): sender reports with what the forwarder actually
/// sent (first soon after the first packet, then every randomized interval, also while paused), the recorder's
/// reception reports about our SSRC, and ICMP port-unreachable reports from both sockets. On a secure stream both
/// directions are SRTCP (RFC 3711 §3.4): reports leave protected with the forwarder's key, and only what authenticates
/// with the recorder's key is read. Thread-safe.
/// </summary>
internal sealed class ForwarderRtcp : IDisposable
{
    private const int MaxPacket = 1500;

    private readonly object _gate = new();
    private readonly RtpForwarder _owner;
    private readonly TimeProvider _time;
    private readonly RtpForwarderOptions _options;
    private readonly ILogger _logger;
    private readonly string _cname;
    private ITimer? _timer;
    private bool _sending;
    private bool _disposed;
    private uint _packetsSent;
    private uint _octetsSent;
    private uint _lastRtpTimestamp;
    private long _lastSentAt;
    private long _reportsSent;
    private long _packetsReceived;
    private long _packetsRejected;
    private RecorderReport? _latest;
    private DateTimeOffset? _lastRtcpAt;
    private DateTimeOffset? _lastPortUnreachableAt;
    private bool _rejectionNoted;

    public ForwarderRtcp(RtpForwarder owner, TimeProvider time, RtpForwarderOptions options, ILogger logger)
    {
        _owner = owner;
        _time = time;
        _options = options;
        _logger = logger;
        _cname = options.Cname ?? RtcpInterval.NewCname();
    }

    public long ReportsSent => Interlocked.Read(ref _reportsSent);

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long PacketsRejected => Interlocked.Read(ref _packetsRejected);

    public RecorderReport? LatestReport { get { lock (_gate) return _latest; } }

    public DateTimeOffset? LastRtcpReceivedAt { get { lock (_gate) return _lastRtcpAt; } }

    public DateTimeOffset? LastPortUnreachableAt { get { lock (_gate) return _lastPortUnreachableAt; } }

    /// <summary>Counts one sent RTP packet and starts the report timer on the first.</summary>
    public void OnSent(uint rtpTimestamp, int payloadOctets)
    {
        lock (_gate)
        {
            _packetsSent++;
            _octetsSent += (uint)payloadOctets;
            _lastRtpTimestamp = rtpTimestamp;
            _lastSentAt = _time.GetTimestamp();
            if (_sending || _disposed || _options.RtcpInterval <= TimeSpan.Zero) return;
            _sending = true;
            _timer = _time.CreateTimer(static s => ((ForwarderRtcp)s!).Tick(), this, RtcpInterval.First(_options.RtcpInterval), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Handles a datagram on the RTCP socket, or an RTCP one on the RTP socket (RFC 5761 §4 demultiplexing).</summary>
    public void OnRtcp(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (_owner.Srtp is null)
        {
            Read(datagram, remote);
            return;
        }
        // A secure stream believes only SRTCP that authenticates with the recorder's key (RFC 3711 §3.4): plain RTCP,
        // a wrong tag, a replay, or anything before the recorder's answer gave its key is dropped and counted.
        var recorderSrtp = _owner.RecorderSrtp;
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        try
        {
            if (recorderSrtp is not null && recorderSrtp.TryUnprotectRtcp(datagram, buffer, out int length))
            {
                Read(buffer.AsSpan(0, length), remote);
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Interlocked.Increment(ref _packetsRejected);
        bool first;
        lock (_gate)
        {
            first = !_rejectionNoted;
            _rejectionNoted = true;
        }
        if (first) Log.SrtcpRejected(_logger, remote, _owner.Ssrc);
    }

    private void Read(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (!RtcpCompoundPacket.TryRead(datagram, out var compound)) return;
        Interlocked.Increment(ref _packetsReceived);
        var now = _time.GetUtcNow();
        RecorderReport? report = null;
        if (compound!.TryFindReportBlock(_owner.Ssrc, out var block, out var reporter))
        {
            TimeSpan? roundTrip = null;
            if (block.LastSenderReport != 0)
            {
                uint units = NtpTimestamp.FromDateTimeOffset(now).Middle32 - block.LastSenderReport - block.DelaySinceLastSenderReport;
                if ((int)units >= 0) roundTrip = NtpTimestamp.FromShortFormat(units);
            }
            report = new RecorderReport(reporter, block.FractionLostRatio, block.CumulativeLost, block.ExtendedHighestSequence,
                block.Jitter * 1000.0 / _options.ClockRate, roundTrip, now);
            Log.ReceiverReport(_logger, _owner.Ssrc, remote, report.FractionLost, report.CumulativeLost, report.JitterMs);
        }
        lock (_gate)
        {
            _lastRtcpAt = now;
            if (report is not null) _latest = report;
        }
        if (compound.Packets.Any(p => p is RtcpBye)) Log.ByeReceived(_logger, remote, _owner.Ssrc);
    }

    /// <summary>Notes an ICMP port-unreachable on one of the forwarder's sockets; returns true for the first one.</summary>
    public bool OnPortUnreachable()
    {
        lock (_gate)
        {
            bool first = _lastPortUnreachableAt is null;
            _lastPortUnreachableAt = _time.GetUtcNow();
            return first;
        }
    }

    /// <summary>Stops the timer and, when reports were flowing, sends a last SR with a BYE (RFC 3550 §6.6).</summary>
    public void Dispose()
    {
        ITimer? timer;
        bool sending;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            timer = _timer;
            sending = _sending;
        }
        timer?.Dispose();
        if (sending) Send(bye: true);
    }

    private void Tick()
    {
        try
        {
            Send(bye: false);
        }
        catch (Exception ex)
        {
            Log.ReportFailed(_logger, ex, _owner.Ssrc);
        }
        lock (_gate)
        {
            if (!_disposed) _timer?.Change(RtcpInterval.Next(_options.RtcpInterval), Timeout.InfiniteTimeSpan);
        }
    }

    private void Send(bool bye)
    {
        var destination = _owner.EffectiveRtcpDestination;
        if (destination is null) return;
        RtcpCompoundPacket compound;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            long elapsedUnits = (long)((Int128)_time.GetElapsedTime(_lastSentAt).Ticks * _options.ClockRate / TimeSpan.TicksPerSecond);
            var sr = new RtcpSenderReport(_owner.Ssrc, NtpTimestamp.FromDateTimeOffset(now), _lastRtpTimestamp + (uint)elapsedUnits,
                _packetsSent, _octetsSent, []);
            var sdes = new RtcpSourceDescription(_owner.Ssrc, _cname);
            compound = new RtcpCompoundPacket(bye ? [sr, sdes, new RtcpBye([_owner.Ssrc])] : [sr, sdes]);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(MaxPacket);
        try
        {
            int length = compound.Write(buffer);
            // A secure stream's reports go as SRTCP with the key its RTP is protected with (RFC 3711 §3.4).
            if (_owner.Srtp is { } srtp && !srtp.TryProtectRtcp(buffer.AsSpan(0, length), buffer, out length)) return;
            if (_owner.RtcpSocket.TrySend(buffer.AsSpan(0, length), destination)) Interlocked.Increment(ref _reportsSent);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
