namespace Siprec.Media.Srtp;

/// <summary>
/// The SRTP crypto suites this implementation speaks (RFC 4568 §6.2): AES counter mode with a 128-bit
/// key for confidentiality and HMAC-SHA1 for integrity, differing only in the length of the auth tag.
/// </summary>
public enum SrtpCryptoSuite
{
    /// <summary><c>AES_CM_128_HMAC_SHA1_80</c>: the RFC 3711 default transform, an 80-bit (10-byte) auth tag.</summary>
    AesCm128HmacSha1_80,

    /// <summary><c>AES_CM_128_HMAC_SHA1_32</c>: the same transform with a 32-bit (4-byte) auth tag (RFC 3711 §7.5).</summary>
    AesCm128HmacSha1_32,
}
