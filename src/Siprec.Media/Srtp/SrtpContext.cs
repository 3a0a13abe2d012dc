using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Siprec.Media.Srtp;

/// <summary>
/// One direction of an SRTP crypto context (RFC 3711 §3.2): protects RTP and RTCP on the sending side or checks and
/// decrypts SRTP and SRTCP (§3.4) on the receiving side with AES-CM and HMAC-SHA1 (§4.1.1, §4.2.1), session keys
/// derived once with key derivation rate 0 from the one master key (§4.3.1 labels 0-2 for SRTP, §4.3.2 labels 3-5
/// for SRTCP). Keeps per-SSRC rollover counters and, on receive, a 64-packet replay window per SSRC for each of SRTP
/// (§3.3.2) and SRTCP (§3.4); on send one SRTCP index counter. Span-based, no allocation per packet, thread-safe.
/// Wire input never throws: a packet that is not RTP/RTCP, fails authentication or is a replay makes the Try method
/// return false.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Most SSRCs one context tracks (SRTP and SRTCP each); packets of further SSRCs are refused.</summary>
    public const int MaxStreams = 16;

    /// <summary>
    /// SRTCP auth tag length in bytes: 80 bits for both suites (RFC 4568 §6.2: AES_CM_128_HMAC_SHA1_32 shortens only
    /// the SRTP tag; RFC 3711 §7.5 keeps RTCP at the default).
    /// </summary>
    public const int RtcpTagLength = 10;

    /// <summary>
    /// Bytes SRTCP adds to an RTCP compound packet: the E flag with the 31-bit SRTCP index (4 bytes) and the
    /// <see cref="RtcpTagLength"/>-byte tag (RFC 3711 §3.4; no MKI).
    /// </summary>
    public const int RtcpOverhead = IndexLength + RtcpTagLength;

    private const int RocLength = 4;
    private const int IndexLength = 4;

    // The RTCP header and the sender's SSRC stay in the clear (RFC 3711 §3.4): the receiver needs the SSRC.
    private const int RtcpClearLength = 8;
    private const uint EncryptedFlag = 0x8000_0000;
    private const long MaxRtcpIndex = 0x7FFF_FFFF;

    private readonly object _gate = new();
    private readonly SrtpCipher _rtp;
    private readonly SrtpCipher _rtcp;
    private readonly Dictionary<uint, SrtpReplayWindow> _streams = new();
    private readonly Dictionary<uint, SrtpReplayWindow> _rtcpStreams = new();
    private long _rtcpIndex;
    private long _authenticationFailures;
    private long _replaysRejected;
    private long _rtcpAuthenticationFailures;
    private long _rtcpReplaysRejected;
    private bool _disposed;

    /// <summary>Derives the SRTP and SRTCP session keys of <paramref name="masterKey"/> for <paramref name="suite"/>.</summary>
    /// <param name="masterKey">The master key and salt from SDES (one side's <c>a=crypto</c>).</param>
    /// <param name="suite">Decides the SRTP auth tag length.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="suite"/> is not a defined suite.</exception>
    public SrtpContext(SrtpMasterKey masterKey, SrtpCryptoSuite suite = SrtpCryptoSuite.AesCm128HmacSha1_80)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        TagLength = suite switch
        {
            SrtpCryptoSuite.AesCm128HmacSha1_80 => 10,
            SrtpCryptoSuite.AesCm128HmacSha1_32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "unknown SRTP crypto suite"),
        };
        Suite = suite;
        _rtp = new SrtpCipher(SrtpSessionKeys.Derive(masterKey));
        _rtcp = new SrtpCipher(SrtpSessionKeys.DeriveRtcp(masterKey));
    }

    /// <summary>The crypto suite in use.</summary>
    public SrtpCryptoSuite Suite { get; }

    /// <summary>SRTP auth tag length in bytes (10 or 4): an SRTP packet is its RTP packet plus this many bytes.</summary>
    public int TagLength { get; }

    /// <summary>Received packets dropped because the auth tag did not match (wrong key or tampering).</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>Received packets dropped as replays or as older than the replay window.</summary>
    public long ReplaysRejected => Interlocked.Read(ref _replaysRejected);

    /// <summary>
    /// Received SRTCP packets dropped because the auth tag did not match (wrong key or tampering), or because a valid
    /// one had the E flag clear: unencrypted SRTCP (RFC 4568 §6.3.2 <c>UNENCRYPTED_SRTCP</c>) is never negotiated here.
    /// </summary>
    public long RtcpAuthenticationFailures => Interlocked.Read(ref _rtcpAuthenticationFailures);

    /// <summary>Received SRTCP packets dropped because their SRTCP index was seen or is older than the replay window.</summary>
    public long RtcpReplaysRejected => Interlocked.Read(ref _rtcpReplaysRejected);

    /// <summary>SRTCP packets protected so far: the next packet's SRTCP index (RFC 3711 §3.4, starts at 0).</summary>
    public long RtcpPacketsProtected => Interlocked.Read(ref _rtcpIndex);

    /// <summary>
    /// Encrypts and authenticates one RTP packet into <paramref name="destination"/> (RFC 3711 §3.3).
    /// Returns false, writing nothing, when <paramref name="rtp"/> is not a version-2 RTP packet, when
    /// <paramref name="destination"/> is shorter than the packet plus <see cref="TagLength"/>, when
    /// <see cref="MaxStreams"/> SSRCs are already tracked, or after <see cref="Dispose"/>.
    /// </summary>
    /// <param name="rtp">One RTP packet.</param>
    /// <param name="destination">Receives the SRTP packet; may be the buffer that holds <paramref name="rtp"/>.</param>
    /// <param name="written">Bytes written: <paramref name="rtp"/> length plus <see cref="TagLength"/>.</param>
    public bool TryProtect(ReadOnlySpan<byte> rtp, Span<byte> destination, out int written)
    {
        written = 0;
        if (!TryGetHeaderLength(rtp, out int headerLength, out ushort sequence, out uint ssrc)) return false;
        if (destination.Length < rtp.Length + TagLength) return false;
        lock (_gate)
        {
            if (_disposed || !TryGetStream(ssrc, out var stream)) return false;
            long index = stream.EstimateIndex(sequence);
            if (index < 0) return false;
            rtp.CopyTo(destination);
            var packet = destination[..rtp.Length];
            _rtp.Transform(packet[headerLength..], ssrc, index);
            WriteRtpTag(packet, (uint)(index >> 16), destination.Slice(rtp.Length, TagLength));
            stream.Accept(index);
        }
        written = rtp.Length + TagLength;
        return true;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts one SRTP packet into <paramref name="destination"/> (RFC
    /// 3711 §3.3). Returns false, writing nothing, when the packet is too short or not RTP, the tag does
    /// not match (<see cref="AuthenticationFailures"/>), the index was seen or is too old
    /// (<see cref="ReplaysRejected"/>), <paramref name="destination"/> is too short, or after dispose.
    /// </summary>
    /// <param name="srtp">One SRTP packet as received.</param>
    /// <param name="destination">Receives the RTP packet; may be the buffer that holds <paramref name="srtp"/>.</param>
    /// <param name="written">Bytes written: <paramref name="srtp"/> length minus <see cref="TagLength"/>.</param>
    public bool TryUnprotect(ReadOnlySpan<byte> srtp, Span<byte> destination, out int written)
    {
        written = 0;
        int length = srtp.Length - TagLength;
        if (length < 0 || !TryGetHeaderLength(srtp[..length], out int headerLength, out ushort sequence, out uint ssrc)) return false;
        if (destination.Length < length) return false;
        lock (_gate)
        {
            if (_disposed) return false;
            _streams.TryGetValue(ssrc, out var known);
            var stream = known ?? new SrtpReplayWindow();
            long index = stream.EstimateIndex(sequence);
            if (index < 0 || !stream.IsFresh(index))
            {
                Interlocked.Increment(ref _replaysRejected);
                return false;
            }
            Span<byte> tag = stackalloc byte[TagLength];
            WriteRtpTag(srtp[..length], (uint)(index >> 16), tag);
            if (!CryptographicOperations.FixedTimeEquals(tag, srtp.Slice(length, TagLength)))
            {
                Interlocked.Increment(ref _authenticationFailures);
                return false;
            }
            if (!TryKeep(_streams, ssrc, known, stream)) return false;
            srtp[..length].CopyTo(destination);
            _rtp.Transform(destination[headerLength..length], ssrc, index);
            stream.Accept(index);
        }
        written = length;
        return true;
    }

    /// <summary>
    /// Encrypts and authenticates one RTCP compound packet into <paramref name="destination"/> (RFC 3711 §3.4):
    /// everything after the first 8 bytes (the first header and the sender's SSRC) is encrypted with the SRTCP keys and
    /// the IV of that SSRC and the SRTCP index; then come the E flag (set) with the 31-bit index, and the
    /// <see cref="RtcpTagLength"/>-byte tag over all of it. Each call uses the next index. Returns false, writing
    /// nothing, when <paramref name="rtcp"/> is shorter than 8 bytes or not version 2, when
    /// <paramref name="destination"/> is shorter than the packet plus <see cref="RtcpOverhead"/>, after 2^31 packets
    /// (§9.2: the master key must then be replaced), or after <see cref="Dispose"/>.
    /// </summary>
    /// <param name="rtcp">One RTCP compound packet (RFC 3550 §6.1).</param>
    /// <param name="destination">Receives the SRTCP packet; may be the buffer that holds <paramref name="rtcp"/>.</param>
    /// <param name="written">Bytes written: <paramref name="rtcp"/> length plus <see cref="RtcpOverhead"/>.</param>
    public bool TryProtectRtcp(ReadOnlySpan<byte> rtcp, Span<byte> destination, out int written)
    {
        written = 0;
        if (!IsRtcpHeader(rtcp) || destination.Length < rtcp.Length + RtcpOverhead) return false;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtcp.Slice(4, 4));
        lock (_gate)
        {
            if (_disposed || _rtcpIndex > MaxRtcpIndex) return false;
            uint index = (uint)_rtcpIndex;
            rtcp.CopyTo(destination);
            _rtcp.Transform(destination[RtcpClearLength..rtcp.Length], ssrc, index);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(rtcp.Length, IndexLength), EncryptedFlag | index);
            int authenticated = rtcp.Length + IndexLength;
            _rtcp.WriteTag(destination[..authenticated], default, destination.Slice(authenticated, RtcpTagLength));
            Interlocked.Increment(ref _rtcpIndex);
        }
        written = rtcp.Length + RtcpOverhead;
        return true;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts one SRTCP packet into <paramref name="destination"/> (RFC 3711 §3.4).
    /// Returns false, writing nothing, when the packet is too short or not version 2, the tag does not match or the E
    /// flag is clear (<see cref="RtcpAuthenticationFailures"/>), the SRTCP index was seen or is too old for the
    /// sender's SSRC (<see cref="RtcpReplaysRejected"/>), <paramref name="destination"/> is too short, or after dispose.
    /// </summary>
    /// <param name="srtcp">One SRTCP packet as received.</param>
    /// <param name="destination">Receives the RTCP compound packet; may be the buffer that holds <paramref name="srtcp"/>.</param>
    /// <param name="written">Bytes written: <paramref name="srtcp"/> length minus <see cref="RtcpOverhead"/>.</param>
    public bool TryUnprotectRtcp(ReadOnlySpan<byte> srtcp, Span<byte> destination, out int written)
    {
        written = 0;
        int length = srtcp.Length - RtcpOverhead;
        if (length < 0 || !IsRtcpHeader(srtcp[..length]) || destination.Length < length) return false;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(srtcp.Slice(4, 4));
        uint word = BinaryPrimitives.ReadUInt32BigEndian(srtcp.Slice(length, IndexLength));
        long index = word & MaxRtcpIndex;
        int authenticated = length + IndexLength;
        lock (_gate)
        {
            if (_disposed) return false;
            _rtcpStreams.TryGetValue(ssrc, out var known);
            var window = known ?? new SrtpReplayWindow();
            if (!window.IsFresh(index))
            {
                Interlocked.Increment(ref _rtcpReplaysRejected);
                return false;
            }
            Span<byte> tag = stackalloc byte[RtcpTagLength];
            _rtcp.WriteTag(srtcp[..authenticated], default, tag);
            if (!CryptographicOperations.FixedTimeEquals(tag, srtcp.Slice(authenticated, RtcpTagLength)) || (word & EncryptedFlag) == 0)
            {
                Interlocked.Increment(ref _rtcpAuthenticationFailures);
                return false;
            }
            if (!TryKeep(_rtcpStreams, ssrc, known, window)) return false;
            srtcp[..length].CopyTo(destination);
            _rtcp.Transform(destination[RtcpClearLength..length], ssrc, index);
            window.Accept(index);
        }
        written = length;
        return true;
    }

    /// <summary>Releases the AES and HMAC state of SRTP and SRTCP. Later calls return false.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _rtp.Dispose();
            _rtcp.Dispose();
        }
    }

    /// <summary>Says what this is without any key.</summary>
    public override string ToString() => $"SRTP context {Suite} (keys redacted)";

    private bool TryGetStream(uint ssrc, out SrtpReplayWindow stream)
    {
        if (_streams.TryGetValue(ssrc, out stream!)) return true;
        if (_streams.Count >= MaxStreams) return false;
        stream = new SrtpReplayWindow();
        _streams.Add(ssrc, stream);
        return true;
    }

    // A new SSRC's window is kept only once one of its packets authenticated, so forged SSRCs cannot fill the table.
    private static bool TryKeep(Dictionary<uint, SrtpReplayWindow> streams, uint ssrc, SrtpReplayWindow? known, SrtpReplayWindow window)
    {
        if (known is not null) return true;
        if (streams.Count >= MaxStreams) return false;
        streams.Add(ssrc, window);
        return true;
    }

    // SRTP tag input = header || encrypted payload || ROC, RFC 3711 §4.2.
    private void WriteRtpTag(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> tag)
    {
        Span<byte> rocBytes = stackalloc byte[RocLength];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        _rtp.WriteTag(authenticated, rocBytes, tag);
    }

    // The first 8 bytes of a compound packet: V=2 and the sender's SSRC (RFC 3550 §6.4); the rest is opaque here.
    private static bool IsRtcpHeader(ReadOnlySpan<byte> packet) => packet.Length >= RtcpClearLength && packet[0] >> 6 == 2;

    // Fixed header, CSRCs and header extension stay in the clear (RFC 3711 §3.1); padding is encrypted.
    private static bool TryGetHeaderLength(ReadOnlySpan<byte> packet, out int headerLength, out ushort sequence, out uint ssrc)
    {
        headerLength = 0;
        sequence = 0;
        ssrc = 0;
        if (packet.Length < 12 || packet[0] >> 6 != 2) return false;
        int offset = 12 + (packet[0] & 0x0F) * 4;
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4) return false;
            offset += 4 + BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2)) * 4;
        }
        if (packet.Length < offset) return false;
        headerLength = offset;
        sequence = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2));
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4));
        return true;
    }
}
