using System.Security.Cryptography.X509Certificates;
using Siprec.Gateway.Configuration;
using Siprec.Sip.Transport;

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

    /// <summary>
    /// The <c>--cert</c>/<c>--cert-password</c> rules every server command shares: a TLS listener needs a certificate,
    /// and a certificate (or a password) nothing would use is refused as a mistake; then <see cref="TryLoad"/>.
    /// </summary>
    /// <param name="path">The <c>--cert</c> value, or null.</param>
    /// <param name="password">The <c>--cert-password</c> value, or null.</param>
    /// <param name="tls">The first TLS listener given, or null.</param>
    /// <param name="listenOption">The listener option named in errors, e.g. <c>--sip</c> or <c>--listen</c>.</param>
    /// <param name="haveCertificate">True when a certificate is already configured (e.g. by the gateway's config file).</param>
    /// <param name="certificate">The loaded certificate, or null when <paramref name="path"/> is null; the caller disposes it.</param>
    /// <param name="error">Why the options cannot be used, naming the option and value, or null.</param>
    public static bool TryRead(string? path, string? password, SipListenEndPoint? tls, string listenOption, bool haveCertificate,
        out X509Certificate2? certificate, out string? error)
    {
        certificate = null;
        error = null;
        if (path is null && password is not null)
        {
            error = "--cert-password: given without --cert";
            return false;
        }
        if (path is null)
        {
            if (tls is null || haveCertificate) return true;
            error = $"{listenOption} '{tls}': a tls listener needs --cert FILE (PFX/PKCS#12, or PEM with the certificate and its private key)";
            return false;
        }
        if (tls is null)
        {
            error = $"--cert '{path}': no {listenOption} tls:HOST:PORT is given, so the certificate would not be used";
            return false;
        }
        return TryLoad(path, password, "--cert", out certificate, out error);
    }
}
