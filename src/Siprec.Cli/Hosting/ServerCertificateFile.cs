using System.Security.Cryptography.X509Certificates;
using Siprec.Gateway.Configuration;

namespace Siprec.Cli.Hosting;

/// <summary>
/// Loads a TLS server certificate with its private key (RFC 3261 §26.3.1) given by <c>--cert</c> and
/// <c>--cert-password</c>: PKCS#12/PFX, or one PEM file with certificate and private key (see <see cref="TlsCertificateFile"/>).
/// </summary>
internal static class ServerCertificateFile
{
    /// <summary>Loads <paramref name="path"/>; every error names <paramref name="option"/> and the path.</summary>
    /// <param name="path">The file; PEM when it holds a <c>-----BEGIN</c> line, else PKCS#12.</param>
    /// <param name="password">The PFX password or the PEM key's password; null for none.</param>
    /// <param name="option">The option name used in errors, e.g. <c>--cert</c>.</param>
    /// <param name="certificate">The certificate with its private key; the caller disposes it.</param>
    /// <param name="error">Why the file cannot be used, or null.</param>
    public static bool TryLoad(string path, string? password, string option, out X509Certificate2? certificate, out string? error) =>
        TlsCertificateFile.TryLoad(path, password, option, "--cert-password", out certificate, out error);
}
