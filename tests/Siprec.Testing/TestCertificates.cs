using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siprec.Testing;

/// <summary>A throw-away CA and a leaf for "localhost"/127.0.0.1 it signed, made in the test (nothing read from disk).</summary>
public sealed class TestCertificates : IDisposable
{
    /// <summary>Makes the CA and the leaf (RSA 2048, valid from yesterday for a week).</summary>
    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Siprec Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        using var signed = leafRequest.Create(Authority, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(12));
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        Server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The self-signed CA (public part is the trust anchor).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key: CN=localhost, SAN DNS:localhost, IP:127.0.0.1.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A fresh collection holding only the CA's public certificate, for <c>TrustedRoots</c>.</summary>
    public X509Certificate2Collection TrustStore => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    /// <summary>Disposes both certificates.</summary>
    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
