using System.Security.Cryptography;

namespace Siprec.Media.Srtp;

/// <summary>
/// An SRTP master key and master salt (RFC 3711 §3.2.1, §8.2): 16 key bytes and 14 salt bytes, the
/// material an SDES <c>inline:</c> parameter carries (RFC 4568 §6.1). The bytes never appear in
/// <see cref="ToString"/>, so logging this object cannot leak them.
/// </summary>
public sealed class SrtpMasterKey
{
    /// <summary>Master key length in bytes for AES-128 (RFC 3711 §8.2).</summary>
    public const int KeyLength = 16;

    /// <summary>Master salt length in bytes (RFC 3711 §8.2, 112 bits).</summary>
    public const int SaltLength = 14;

    /// <summary>Key followed by salt, the length of the decoded SDES <c>inline:</c> value.</summary>
    public const int Length = KeyLength + SaltLength;

    private readonly byte[] _material;

    /// <summary>Copies key || salt.</summary>
    /// <param name="keyAndSalt">Exactly <see cref="Length"/> bytes: the master key then the master salt.</param>
    /// <exception cref="ArgumentException"><paramref name="keyAndSalt"/> is not <see cref="Length"/> bytes long.</exception>
    public SrtpMasterKey(ReadOnlySpan<byte> keyAndSalt)
    {
        if (keyAndSalt.Length != Length)
            throw new ArgumentException($"an SRTP master key and salt is {Length} bytes, not {keyAndSalt.Length}", nameof(keyAndSalt));
        _material = keyAndSalt.ToArray();
    }

    /// <summary>A fresh key and salt from <see cref="RandomNumberGenerator"/>: one per recorder and stream, never reused (RFC 3711 §9.2).</summary>
    public static SrtpMasterKey CreateRandom()
    {
        Span<byte> material = stackalloc byte[Length];
        RandomNumberGenerator.Fill(material);
        var key = new SrtpMasterKey(material);
        CryptographicOperations.ZeroMemory(material);
        return key;
    }

    /// <summary>The 16-byte master key.</summary>
    public ReadOnlySpan<byte> Key => _material.AsSpan(0, KeyLength);

    /// <summary>The 14-byte master salt.</summary>
    public ReadOnlySpan<byte> Salt => _material.AsSpan(KeyLength, SaltLength);

    /// <summary>Key || salt, as the SDES <c>inline:</c> parameter encodes it.</summary>
    public ReadOnlySpan<byte> KeyAndSalt => _material;

    /// <summary>Says what this is without the bytes.</summary>
    public override string ToString() => "SRTP master key (redacted)";
}
