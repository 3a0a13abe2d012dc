using System.Security.Cryptography.X509Certificates;

namespace Siprec.Sip.Transport;

/// <summary>TLS settings (RFC 3261 §26.3.1, RFC 5922): certificate validation is always on.</summary>
/// <remarks>
/// Defaults: no server certificate (inbound handshakes are refused), the system trust store, no revocation check
/// (loopback and test CAs publish no CRL).
/// </remarks>
public sealed record TlsOptions
{
    /// <summary>The certificate (with private key) presented to peers that connect to us; null refuses inbound TLS.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Roots trusted instead of the system store (a private CA, a test CA); null uses the system store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>Check revocation online while validating a peer certificate.</summary>
    public bool CheckCertificateRevocation { get; init; }
}
