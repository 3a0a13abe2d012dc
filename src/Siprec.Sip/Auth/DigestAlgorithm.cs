namespace Siprec.Sip.Auth;

/// <summary>The digest algorithms answered (RFC 7616 §3.3, RFC 8760 §2); <c>-sess</c> variants hash the client nonce into HA1.</summary>
internal enum DigestAlgorithm
{
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}
