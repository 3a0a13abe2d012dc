using System.Buffers;
using System.Buffers.Binary;
using System.Net;
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
/// </remarks>
public sealed class RtpForwarder : IAsyncDisposable
{
    private readonly object _gate = new();
    private IPEndPoint? _destination;
    private SrtpContext? _srtp;
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

    /// <summary>Creates a forwarder sending from <paramref name="socket"/>, which it owns and disposes.</summary>
    /// <param name="socket">The socket whose port goes on the recording SDP m-line.</param>
    public RtpForwarder(RtpSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Socket = socket;
        Ssrc = (uint)Random.Shared.NextInt64(0, 1L << 32);
        _sequenceOffset = (ushort)Random.Shared.Next(0, 1 << 16);
    }

    /// <summary>The sending socket.</summary>
    public RtpSocket Socket { get; }

    /// <summary>The SSRC of the forwarded stream, random per forwarder (RFC 3550 §8.1).</summary>
    public uint Ssrc { get; }

    /// <summary>Where packets go; null or port 0 (a recorder that declined the stream) sends nothing.</summary>
    public IPEndPoint? Destination
    {
        get => Volatile.Read(ref _destination);
        set => Volatile.Write(ref _destination, value);
    }

    /// <summary>
    /// When set, every translated packet is SRTP-protected with this sending context before it leaves (RFC 3711
    /// §3.3; a secure recorder). The forwarder does not own it: whoever set it disposes it after the forwarder.
    /// Packets the context refuses are counted in <see cref="PacketsInvalid"/>.
    /// </summary>
    public SrtpContext? Srtp
    {
        get => Volatile.Read(ref _srtp);
        set => Volatile.Write(ref _srtp, value);
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
            if (_packetsForwarded == 0 || (short)(sequence - _lastSequence) > 0) _lastSequence = sequence;
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
            Socket.Send(packet, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops forwarding and disposes the socket. Safe to call more than once.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        return Socket.DisposeAsync();
    }
}
