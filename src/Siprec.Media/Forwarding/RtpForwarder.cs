using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;

namespace Siprec.Media.Forwarding;

/// <summary>
/// Forwards one source RTP stream to one recorder as a translated stream of its own (RFC 3550 §7.1
/// translator, RFC 7866 §8.1 media fork): its own random SSRC, sequence numbers that continue without a
/// jump across pauses and source SSRC changes, and timestamps equal to the source timestamp plus one
/// random offset fixed on the first packet, so silences and pauses keep their length on the wire.
/// Payload, payload type, CSRCs and extensions are copied unchanged. Knows no SIP. Thread-safe.
/// </summary>
/// <remarks>
/// Source sequence gaps (loss) and reordering are kept, so the receiver can still count loss; only the
/// jump across a pause or a source restart is removed. The marker bit is set on the first packet
/// forwarded and on the first after a pause, which starts a new talk spurt for the receiver (RFC 3551 §4.1).
/// <para>RTCP (RFC 3550 §6): the forwarder sends sender reports for its stream (packet and payload-octet counts of what
/// the socket accepted for this recorder, with an SDES CNAME; §6.1 compound), the first after a randomized 1.25–3.75 s
/// from the first packet, then every 5 s × [0.5, 1.5] (§6.2). Reports keep flowing while paused, with frozen counts, so
/// the recorder's liveness stays observable; a last SR with BYE goes out on dispose (§6.6). They go to
/// <see cref="RtcpDestination"/>, by default the RTP destination's port + 1 (§11), from the RTCP socket (the RTP
/// port + 1 when bound with <see cref="RtpSocket.BindPair(System.Net.IPAddress, Microsoft.Extensions.Logging.ILogger{RtpSocket})"/>). The recorder's receiver reports about <see cref="Ssrc"/>
/// arrive on that socket (or on the RTP socket, demultiplexed per RFC 5761 §4) and become <see cref="LatestRecorderReport"/>.
/// On SRTP streams (<see cref="Srtp"/> set) the RTCP is SRTCP (RFC 3711 §3.4): sender reports leave protected with
/// <see cref="Srtp"/>, and only SRTCP that authenticates with the recorder's key (<see cref="RecorderSrtp"/>) is read;
/// everything else is dropped and counted in <see cref="RtcpPacketsRejected"/>, never believed.</para>
/// <para>ICMP: the sockets are connected to the recorder's ports (Linux reports ICMP errors only to connected UDP
/// sockets), so a datagram to a closed port makes the next receive or send fail with ECONNREFUSED; both sockets run a
/// receive loop, so <see cref="PortUnreachableCount"/> and <see cref="PortUnreachable"/> report a
/// recorder whose media port is gone within one packet interval.</para>
/// </remarks>
public sealed class RtpForwarder : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly ForwarderRtcp _rtcp;
    private readonly ILogger _logger;
    private IPEndPoint? _destination;
    private IPEndPoint? _rtcpDestination;
    private SrtpContext? _srtp;
    private SrtpContext? _recorderSrtp;
    private bool _paused;
    private bool _started;
    private bool _rebase = true;
    private bool _markNext = true;
    private uint _sourceSsrc;
    private ushort _sequenceOffset;
    private ushort _lastSequence;
    private uint _timestampOffset;
    private long _packetsForwarded;
    private long _packetsDropped;
    private long _packetsInvalid;
    private int _disposed;

    /// <summary>
    /// Creates a forwarder sending from <paramref name="socket"/>, which it owns and disposes; RTCP goes from the same
    /// socket, on the system clock, with default <see cref="RtpForwarderOptions"/>.
    /// </summary>
    /// <param name="socket">The socket whose port goes on the recording SDP m-line.</param>
    public RtpForwarder(RtpSocket socket)
        : this(socket, null, TimeProvider.System)
    {
    }

    /// <summary>Creates a forwarder sending RTP from <paramref name="socket"/> and RTCP from <paramref name="rtcpSocket"/>; it owns and disposes both.</summary>
    /// <param name="socket">The RTP socket, whose port goes on the recording SDP m-line.</param>
    /// <param name="rtcpSocket">The RTCP socket, normally the RTP port + 1 (<see cref="RtpSocket.BindPair(System.Net.IPAddress, Microsoft.Extensions.Logging.ILogger{RtpSocket})"/>); null to send RTCP from <paramref name="socket"/>.</param>
    /// <param name="time">Clock for report timers, NTP timestamps and report arrival times.</param>
    /// <param name="options">RTCP settings; null for the defaults.</param>
    /// <param name="logger">Receives port-unreachable and RTCP events; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> does not validate.</exception>
    public RtpForwarder(RtpSocket socket, RtpSocket? rtcpSocket, TimeProvider time, RtpForwarderOptions? options = null, ILogger<RtpForwarder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(time);
        options ??= new RtpForwarderOptions();
        options.Validate();
        Socket = socket;
        RtcpSocket = rtcpSocket ?? socket;
        Ssrc = (uint)Random.Shared.NextInt64(0, 1L << 32);
        _sequenceOffset = (ushort)Random.Shared.Next(0, 1 << 16);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _rtcp = new ForwarderRtcp(this, time, options, _logger);
        Socket.PortUnreachable += OnPortUnreachable;
        Socket.Start((packet, remote) =>
        {
            if (RtcpCompoundPacket.IsRtcp(packet)) _rtcp.OnRtcp(packet, remote);
        });
        if (rtcpSocket is not null)
        {
            rtcpSocket.PortUnreachable += OnPortUnreachable;
            rtcpSocket.Start(_rtcp.OnRtcp);
        }
    }

    /// <summary>The sending socket.</summary>
    public RtpSocket Socket { get; }

    /// <summary>The socket RTCP leaves from and the recorder's reports arrive on: the RTCP socket, or <see cref="Socket"/> when none was given.</summary>
    public RtpSocket RtcpSocket { get; }

    /// <summary>
    /// Where RTCP goes when the recorder's SDP answer names it (<c>a=rtcp:</c>, RFC 3605); null (the default) for the RTP
    /// <see cref="Destination"/>'s port + 1 (RFC 3550 §11). Nothing is sent while <see cref="Destination"/> is null or port 0.
    /// </summary>
    public IPEndPoint? RtcpDestination
    {
        get => Volatile.Read(ref _rtcpDestination);
        set
        {
            Volatile.Write(ref _rtcpDestination, value);
            ConnectSockets();
        }
    }

    /// <summary>Where RTCP goes now: <see cref="RtcpDestination"/>, else RTP port + 1; null when nothing is sent.</summary>
    internal IPEndPoint? EffectiveRtcpDestination
    {
        get
        {
            var rtp = Destination;
            if (rtp is null || rtp.Port == 0) return null;
            if (RtcpDestination is { Port: > 0 } explicitly) return explicitly;
            return rtp.Port < IPEndPoint.MaxPort ? new IPEndPoint(rtp.Address, rtp.Port + 1) : null;
        }
    }

    /// <summary>RTCP compound packets (SR + SDES, last one with BYE) the socket accepted for sending.</summary>
    public long RtcpReportsSent => _rtcp.ReportsSent;

    /// <summary>Valid RTCP compound packets received from the recorder (any type, any SSRC; on a secure stream after SRTCP).</summary>
    public long RtcpPacketsReceived => _rtcp.PacketsReceived;

    /// <summary>
    /// Datagrams on a secure stream's RTCP path that were dropped unread: SRTCP whose auth tag failed or whose index was
    /// a replay, plain RTCP, or SRTCP before <see cref="RecorderSrtp"/> was set (RFC 3711 §3.4). Always 0 on a plain stream.
    /// </summary>
    public long RtcpPacketsRejected => _rtcp.PacketsRejected;

    /// <summary>The latest reception report the recorder sent about <see cref="Ssrc"/>; null before the first.</summary>
    public RecorderReport? LatestRecorderReport => _rtcp.LatestReport;

    /// <summary>When the last valid RTCP packet arrived from anyone on the forwarder's sockets (forwarder's clock); null before the first.</summary>
    public DateTimeOffset? LastRtcpReceivedAt => _rtcp.LastRtcpReceivedAt;

    /// <summary>ICMP port-unreachable errors seen on the RTP and RTCP sockets together: the recorder's port is closed.</summary>
    public long PortUnreachableCount => Socket.PortUnreachableCount + (ReferenceEquals(RtcpSocket, Socket) ? 0 : RtcpSocket.PortUnreachableCount);

    /// <summary>When the last ICMP port-unreachable was seen (forwarder's clock); null before the first.</summary>
    public DateTimeOffset? LastPortUnreachableAt => _rtcp.LastPortUnreachableAt;

    /// <summary>
    /// Raised for every ICMP port-unreachable on the RTP or RTCP socket (on a socket thread or the forwarding thread).
    /// Handlers must not block; exceptions are logged by the socket and swallowed.
    /// </summary>
    public event Action<RtpForwarder>? PortUnreachable;

    /// <summary>The SSRC of the forwarded stream, random per forwarder (RFC 3550 §8.1).</summary>
    public uint Ssrc { get; }

    /// <summary>Where packets go; null or port 0 (a recorder that declined the stream) sends nothing.</summary>
    /// <remarks>Setting a destination connects the sockets to the recorder (<see cref="RtpSocket.Connect"/>), so ICMP errors are seen.</remarks>
    public IPEndPoint? Destination
    {
        get => Volatile.Read(ref _destination);
        set
        {
            Volatile.Write(ref _destination, value);
            ConnectSockets();
        }
    }

    /// <summary>
    /// When set, every translated packet is SRTP-protected with this sending context before it leaves (RFC 3711
    /// §3.3; a secure recorder), and so is every sender report (SRTCP, §3.4). The forwarder does not own it: whoever set
    /// it disposes it after the forwarder. Packets the context refuses are counted in <see cref="PacketsInvalid"/>.
    /// </summary>
    public SrtpContext? Srtp
    {
        get => Volatile.Read(ref _srtp);
        set => Volatile.Write(ref _srtp, value);
    }

    /// <summary>
    /// The recorder's own SRTP context, keyed with the <c>a=crypto</c> of its SDP answer (RFC 4568 §5.1.2): it
    /// authenticates and decrypts the recorder's SRTCP receiver reports (RFC 3711 §3.4) on a secure stream. Null until
    /// the answer is known; meaningful only with <see cref="Srtp"/> set. Not owned, like <see cref="Srtp"/>.
    /// </summary>
    public SrtpContext? RecorderSrtp
    {
        get => Volatile.Read(ref _recorderSrtp);
        set => Volatile.Write(ref _recorderSrtp, value);
    }

    /// <summary>While true, packets are dropped and counted in <see cref="PacketsDroppedWhilePaused"/>.</summary>
    public bool Paused
    {
        get { lock (_gate) return _paused; }
        set
        {
            lock (_gate)
            {
                if (_paused && !value)
                {
                    _rebase = true;
                    _markNext = true;
                }
                _paused = value;
            }
        }
    }

    /// <summary>Packets handed to the socket.</summary>
    public long PacketsForwarded => Interlocked.Read(ref _packetsForwarded);

    /// <summary>Packets dropped because <see cref="Paused"/> was set.</summary>
    public long PacketsDroppedWhilePaused => Interlocked.Read(ref _packetsDropped);

    /// <summary>Packets dropped because they were not RTP version 2 (shorter than 12 bytes or another version).</summary>
    public long PacketsInvalid => Interlocked.Read(ref _packetsInvalid);

    /// <summary>
    /// Translates and sends one source packet. Never throws on wire input: non-RTP packets are counted in
    /// <see cref="PacketsInvalid"/> and dropped.
    /// </summary>
    /// <param name="sourcePacket">One RTP datagram as received from the call leg.</param>
    public void Forward(ReadOnlySpan<byte> sourcePacket)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        var destination = Destination;
        if (destination is null || destination.Port == 0) return;
        if (sourcePacket.Length < RtpHeader.Size || sourcePacket[0] >> 6 != RtpHeader.Version)
        {
            Interlocked.Increment(ref _packetsInvalid);
            ForwarderMetrics.PacketDropped("invalid");
            return;
        }

        ushort sourceSequence = BinaryPrimitives.ReadUInt16BigEndian(sourcePacket.Slice(2, 2));
        uint sourceTimestamp = BinaryPrimitives.ReadUInt32BigEndian(sourcePacket.Slice(4, 4));
        uint sourceSsrc = BinaryPrimitives.ReadUInt32BigEndian(sourcePacket.Slice(8, 4));
        ushort sequence;
        uint timestamp;
        bool marker;
        lock (_gate)
        {
            if (_paused)
            {
                Interlocked.Increment(ref _packetsDropped);
                ForwarderMetrics.PacketDropped("paused");
                return;
            }
            if (!_started)
            {
                _timestampOffset = (uint)Random.Shared.NextInt64(0, 1L << 32);
                _started = true;
            }
            else if (sourceSsrc != _sourceSsrc)
            {
                _rebase = true;
            }
            if (_rebase)
            {
                // Continue right after the last number sent; the first packet ever starts at the random offset.
                ushort next = _packetsForwarded == 0 ? _sequenceOffset : (ushort)(_lastSequence + 1);
                _sequenceOffset = (ushort)(next - sourceSequence);
                _rebase = false;
            }
            _sourceSsrc = sourceSsrc;
            sequence = (ushort)(sourceSequence + _sequenceOffset);
            var inOrder = _packetsForwarded == 0 || (short)(sequence - _lastSequence) > 0;
            if (inOrder) _lastSequence = sequence;
            ForwarderMetrics.PacketForwarded(late: !inOrder);
            timestamp = sourceTimestamp + _timestampOffset;
            marker = _markNext;
            _markNext = false;
            Interlocked.Increment(ref _packetsForwarded);
        }

        var srtp = Srtp;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(sourcePacket.Length + (srtp?.TagLength ?? 0));
        try
        {
            var packet = buffer.AsSpan(0, sourcePacket.Length);
            sourcePacket.CopyTo(packet);
            if (marker) packet[1] |= 0x80;
            BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2, 2), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(8, 4), Ssrc);
            if (srtp is not null)
            {
                if (!srtp.TryProtect(packet, buffer, out int protectedLength))
                {
                    Interlocked.Increment(ref _packetsInvalid);
                    return;
                }
                packet = buffer.AsSpan(0, protectedLength);
            }
            if (Socket.TrySend(packet, destination)) _rtcp.OnSent(timestamp, PayloadOctets(sourcePacket));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops forwarding, sends a last SR with BYE when reports were flowing, and disposes the sockets. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _rtcp.Dispose();
        Socket.PortUnreachable -= OnPortUnreachable;
        await Socket.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(RtcpSocket, Socket))
        {
            RtcpSocket.PortUnreachable -= OnPortUnreachable;
            await RtcpSocket.DisposeAsync().ConfigureAwait(false);
        }
    }

    // RFC 3550 §6.4.1: the SR octet count is payload only, without header, CSRCs, extension or padding.
    private static int PayloadOctets(ReadOnlySpan<byte> packet) =>
        RtpHeader.TryRead(packet, out _, out _, out int payloadLength) ? payloadLength : packet.Length - RtpHeader.Size;

    // Linux reports ICMP port unreachable only to connected UDP sockets; each socket talks to one recorder port.
    private void ConnectSockets()
    {
        if (Volatile.Read(ref _disposed) != 0 || Destination is not { Port: > 0 } rtp) return;
        Socket.Connect(rtp);
        if (!ReferenceEquals(RtcpSocket, Socket) && EffectiveRtcpDestination is { } rtcp) RtcpSocket.Connect(rtcp);
    }

    private void OnPortUnreachable(RtpSocket socket)
    {
        if (_rtcp.OnPortUnreachable() && Destination is { } destination)
            Log.PortUnreachable(_logger, destination, socket.LocalEndPoint, Ssrc);
        PortUnreachable?.Invoke(this);
    }
}
