using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// Loads a TLS server certificate with its private key (RFC 3261 §26.3.1) from a file: PKCS#12/PFX, or PEM holding
/// the certificate and its private key (<c>-----BEGIN PRIVATE KEY-----</c>, encrypted or not) in one file. Used for
/// the gateway's <c>tls.certificate</c> key and the CLI's <c>--cert</c>.
/// </summary>
public static class TlsCertificateFile
{
    /// <summary>Loads <paramref name="path"/>; never throws, every error names <paramref name="option"/> and the path.</summary>
    /// <param name="path">The file; PEM when it holds a <c>-----BEGIN</c> line, else PKCS#12.</param>
    /// <param name="password">The PFX password or the PEM key's password; null for none. Never put in an error.</param>
    /// <param name="option">What gave the path, for errors, e.g. <c>--cert</c> or <c>gateway.json: tls.certificate</c>.</param>
    /// <param name="passwordOption">What gives the password, for errors, e.g. <c>--cert-password</c>.</param>
    /// <param name="certificate">The certificate with its private key; the caller disposes it.</param>
    /// <param name="error">Why the file cannot be used, or null.</param>
    public static bool TryLoad(string path, string? password, string option, string passwordOption, out X509Certificate2? certificate, out string? error)
    {
        var source = $"{option} '{path}'";
        certificate = null;
        error = null;
        if (!File.Exists(path))
        {
            error = $"{source}: file not found";
            return false;
        }
        X509Certificate2 loaded;
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN ", StringComparison.Ordinal))
            {
                if (!text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    error = $"{source}: the PEM file has no private key; give one PEM file with the certificate and its private key, or a PFX/PKCS#12 file";
                    return false;
                }
                if (text.Contains("ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) && password is null)
                {
                    error = $"{source}: the private key is encrypted; give its password with {passwordOption}";
                    return false;
                }
                using var pem = password is null ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password);
                // A PEM key is ephemeral; SslStream on Windows needs a persisted one, so round-trip through PKCS#12.
                loaded = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            else
            {
                loaded = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }
        }
        catch (CryptographicException ex)
        {
            error = $"{source}: cannot be read as PFX/PKCS#12 or as PEM certificate + private key (wrong {passwordOption}?): {ex.Message}";
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{source}: cannot be read: {ex.Message}";
            return false;
        }
        if (!loaded.HasPrivateKey)
        {
            error = $"{source}: the certificate '{loaded.Subject}' has no private key; a TLS server needs it";
            loaded.Dispose();
            return false;
        }
        certificate = loaded;
        return true;
    }
}
