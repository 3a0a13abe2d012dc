using System.Security.Cryptography;

namespace Siprec.Media.Srtp;

/// <summary>
/// The session keys derived from one master key with key derivation rate 0 (RFC 3711 §4.3.1): PRF = AES-CM keyed
/// with the master key, IV = (master salt XOR label at byte 7) · 2^16. SRTP uses labels 0-2, SRTCP labels 3-5 of
/// the same master key (§4.3.2), so one SDES key gives both.
/// </summary>
internal sealed class SrtpSessionKeys
{
    /// <summary>Label of the SRTP encryption key (RFC 3711 §4.3.2).</summary>
    public const byte EncryptionLabel = 0x00;

    /// <summary>Label of the SRTP authentication key.</summary>
    public const byte AuthenticationLabel = 0x01;

    /// <summary>Label of the SRTP salting key.</summary>
    public const byte SaltLabel = 0x02;

    /// <summary>Label of the SRTCP encryption key (RFC 3711 §4.3.2).</summary>
    public const byte RtcpEncryptionLabel = 0x03;

    /// <summary>Label of the SRTCP authentication key.</summary>
    public const byte RtcpAuthenticationLabel = 0x04;

    /// <summary>Label of the SRTCP salting key.</summary>
    public const byte RtcpSaltLabel = 0x05;

    /// <summary>HMAC-SHA1 key length in bytes (RFC 3711 §8.2, n_a = 160).</summary>
    public const int AuthenticationKeyLength = 20;

    private SrtpSessionKeys(byte[] encryption, byte[] authentication, byte[] salt)
    {
        Encryption = encryption;
        Authentication = authentication;
        Salt = salt;
    }

    /// <summary>The 16-byte AES session key k_e.</summary>
    public byte[] Encryption { get; }

    /// <summary>The 20-byte HMAC-SHA1 session key k_a.</summary>
    public byte[] Authentication { get; }

    /// <summary>The 14-byte session salt k_s.</summary>
    public byte[] Salt { get; }

    /// <summary>Derives the SRTP k_e, k_a and k_s from <paramref name="master"/> (labels 0, 1, 2).</summary>
    public static SrtpSessionKeys Derive(SrtpMasterKey master) => Derive(master, EncryptionLabel, AuthenticationLabel, SaltLabel);

    /// <summary>Derives the SRTCP k_e, k_a and k_s from <paramref name="master"/> (labels 3, 4, 5; RFC 3711 §4.3.2).</summary>
    public static SrtpSessionKeys DeriveRtcp(SrtpMasterKey master) =>
        Derive(master, RtcpEncryptionLabel, RtcpAuthenticationLabel, RtcpSaltLabel);

    private static SrtpSessionKeys Derive(SrtpMasterKey master, byte encryptionLabel, byte authenticationLabel, byte saltLabel)
    {
        using var aes = Aes.Create();
        aes.Key = master.Key.ToArray();
        return new SrtpSessionKeys(
            Derive(aes, master.Salt, encryptionLabel, SrtpMasterKey.KeyLength),
            Derive(aes, master.Salt, authenticationLabel, AuthenticationKeyLength),
            Derive(aes, master.Salt, saltLabel, SrtpMasterKey.SaltLength));
    }

    /// <summary>One PRF output of <paramref name="length"/> bytes for <paramref name="label"/> (RFC 3711 §4.3.1, r = 0).</summary>
    public static byte[] Derive(Aes masterAes, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);
        // key_id = label || r (48 bits of zero) is 7 bytes, right-aligned against the 14-byte salt.
        iv[SrtpMasterKey.SaltLength - 7] ^= label;
        var output = new byte[length];
        AesCounterMode.Transform(masterAes, iv, output);
        return output;
    }
}
