using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Siprec.Media.Srtp;

/// <summary>
/// One direction of an SRTP crypto context (RFC 3711 §3.2): protects RTP on the sending side or checks
/// and decrypts SRTP on the receiving side with AES-CM and HMAC-SHA1 (§4.1.1, §4.2.1), session keys
/// derived once with key derivation rate 0 (§4.3). Keeps per-SSRC rollover counters and, on receive, a
/// 64-packet replay window (§3.3.2). Span-based, no allocation per packet, thread-safe. Wire input never
/// throws: a packet that is not RTP, fails authentication or is a replay makes the Try method return false.
/// </summary>
/// <remarks>SRTCP (RFC 3711 §3.4) is not produced or accepted, so secure recording streams carry no RTCP.</remarks>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Most SSRCs one context tracks; packets of further SSRCs are refused.</summary>
    public const int MaxStreams = 16;

    private const int RocLength = 4;
    private const int Sha1Length = 20;

    private readonly object _gate = new();
    private readonly Aes _aes;
    private readonly IncrementalHash _hmac;
    private readonly byte[] _sessionSalt;
    private readonly Dictionary<uint, SrtpReplayWindow> _streams = new();
    private long _authenticationFailures;
    private long _replaysRejected;
    private bool _disposed;

    /// <summary>Derives the session keys of <paramref name="masterKey"/> for <paramref name="suite"/>.</summary>
    /// <param name="masterKey">The master key and salt from SDES (one side's <c>a=crypto</c>).</param>
    /// <param name="suite">Decides the auth tag length.</param>
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
        var keys = SrtpSessionKeys.Derive(masterKey);
        _aes = Aes.Create();
        _aes.Key = keys.Encryption;
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.Authentication);
        _sessionSalt = keys.Salt;
        CryptographicOperations.ZeroMemory(keys.Encryption);
        CryptographicOperations.ZeroMemory(keys.Authentication);
    }

    /// <summary>The crypto suite in use.</summary>
    public SrtpCryptoSuite Suite { get; }

    /// <summary>Auth tag length in bytes (10 or 4): an SRTP packet is its RTP packet plus this many bytes.</summary>
    public int TagLength { get; }

    /// <summary>Received packets dropped because the auth tag did not match (wrong key or tampering).</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>Received packets dropped as replays or as older than the replay window.</summary>
    public long ReplaysRejected => Interlocked.Read(ref _replaysRejected);

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
            Encrypt(packet[headerLength..], ssrc, index);
            WriteTag(packet, (uint)(index >> 16), destination.Slice(rtp.Length, TagLength));
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
            WriteTag(srtp[..length], (uint)(index >> 16), tag);
            if (!CryptographicOperations.FixedTimeEquals(tag, srtp.Slice(length, TagLength)))
            {
                Interlocked.Increment(ref _authenticationFailures);
                return false;
            }
            if (known is null)
            {
                if (_streams.Count >= MaxStreams) return false;
                _streams.Add(ssrc, stream);
            }
            srtp[..length].CopyTo(destination);
            Encrypt(destination[headerLength..length], ssrc, index);
            stream.Accept(index);
        }
        written = length;
        return true;
    }

    /// <summary>Releases the AES and HMAC state. Later calls return false.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _aes.Dispose();
            _hmac.Dispose();
            CryptographicOperations.ZeroMemory(_sessionSalt);
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

    // IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16), RFC 3711 §4.1.1.
    private void Encrypt(Span<byte> payload, uint ssrc, long index)
    {
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        _sessionSalt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (int i = 0; i < 6; i++) iv[8 + i] ^= (byte)(index >> (40 - 8 * i));
        AesCounterMode.Transform(_aes, iv, payload);
    }

    // Tag = first n_tag bytes of HMAC-SHA1(k_a, header || encrypted payload || ROC), RFC 3711 §4.2.
    private void WriteTag(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> tag)
    {
        Span<byte> rocBytes = stackalloc byte[RocLength];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        Span<byte> mac = stackalloc byte[Sha1Length];
        _hmac.AppendData(authenticated);
        _hmac.AppendData(rocBytes);
        _hmac.GetHashAndReset(mac);
        mac[..tag.Length].CopyTo(tag);
    }

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
