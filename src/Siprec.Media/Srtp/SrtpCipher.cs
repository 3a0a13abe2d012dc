using System.Security.Cryptography;

namespace Siprec.Media.Srtp;

/// <summary>
/// One set of session keys in use: AES-CM encryption (RFC 3711 §4.1.1) and the HMAC-SHA1 tag (§4.2.1). SRTP and
/// SRTCP each have one, derived from the same master key with their own labels (§4.3.2); only the packet layout
/// around these two transforms differs. Not thread-safe and no state per packet: the owning context locks.
/// </summary>
internal sealed class SrtpCipher : IDisposable
{
    private const int Sha1Length = 20;

    private readonly Aes _aes;
    private readonly IncrementalHash _hmac;
    private readonly byte[] _sessionSalt;

    /// <summary>Takes the keys' AES and HMAC keys into the crypto objects and wipes the arrays; keeps the salt.</summary>
    public SrtpCipher(SrtpSessionKeys keys)
    {
        _aes = Aes.Create();
        _aes.Key = keys.Encryption;
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.Authentication);
        _sessionSalt = keys.Salt;
        CryptographicOperations.ZeroMemory(keys.Encryption);
        CryptographicOperations.ZeroMemory(keys.Authentication);
    }

    /// <summary>
    /// XORs <paramref name="data"/> with the keystream of IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16)
    /// (RFC 3711 §4.1.1), where i is the 48-bit SRTP index or the 31-bit SRTCP index.
    /// </summary>
    public void Transform(Span<byte> data, uint ssrc, long index)
    {
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        _sessionSalt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (int i = 0; i < 6; i++) iv[8 + i] ^= (byte)(index >> (40 - 8 * i));
        AesCounterMode.Transform(_aes, iv, data);
    }

    /// <summary>
    /// Writes the first <c>tag.Length</c> bytes of HMAC-SHA1(k_a, <paramref name="authenticated"/> ||
    /// <paramref name="suffix"/>) (RFC 3711 §4.2): the suffix is the ROC for SRTP and empty for SRTCP, whose
    /// E flag and index are already part of the authenticated portion (§3.4).
    /// </summary>
    public void WriteTag(ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> suffix, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[Sha1Length];
        _hmac.AppendData(authenticated);
        if (!suffix.IsEmpty) _hmac.AppendData(suffix);
        _hmac.GetHashAndReset(mac);
        mac[..tag.Length].CopyTo(tag);
    }

    /// <summary>Releases the AES and HMAC state and wipes the salt.</summary>
    public void Dispose()
    {
        _aes.Dispose();
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_sessionSalt);
    }
}
