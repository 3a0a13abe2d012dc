using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Siprec.Sip.Transport;

/// <summary>Validates a TLS peer certificate (RFC 5922 §7): chain to the configured roots, name against the expected host.</summary>
internal static class TlsCertificateCheck
{
    /// <summary>Null when the certificate is acceptable, else a sentence naming what is wrong.</summary>
    public static string? Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors, string expectedHost, TlsOptions options)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return "the server presented no certificate";
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"certificate name mismatch: expected host name '{expectedHost}', the certificate presents {PresentedNames(leaf)}";
        }
        if (options.TrustedRoots is null)
        {
            if (!errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)) return null;
            return "untrusted certificate chain for " + leaf.Subject + ": " + Describe(presentedChain);
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(options.TrustedRoots);
        chain.ChainPolicy.RevocationMode = options.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                if (!element.Certificate.Equals(leaf)) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (chain.Build(leaf)) return null;
        return "certificate " + leaf.Subject + " does not chain to a trusted root: " + Describe(chain);
    }

    /// <summary>The DNS and IP names of <paramref name="certificate"/>'s subjectAltName, else its subject.</summary>
    public static string PresentedNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension san) continue;
            names.AddRange(san.EnumerateDnsNames().Select(n => "DNS:" + n));
            names.AddRange(san.EnumerateIPAddresses().Select(a => "IP:" + a));
        }
        return names.Count > 0 ? "[" + string.Join(", ", names) + "]" : "subject '" + certificate.Subject + "'";
    }

    private static string Describe(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0) return "no chain status";
        return string.Join("; ", chain.ChainStatus.Select(s => s.Status + " (" + s.StatusInformation.Trim() + ")"));
    }
}
