using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// Loads trust anchors (RFC 5280 §6.1.1 (d)) for validating a TLS peer (RFC 3261 §26.3.1, RFC 5922) from a PEM file
/// holding one or more <c>-----BEGIN CERTIFICATE-----</c> blocks, e.g. a private CA's root. Used for the gateway's
/// <c>srcTls.trustedRoots</c> key.
/// </summary>
public static class TrustedRootsFile
{
    /// <summary>Adds every certificate of <paramref name="path"/> to <paramref name="roots"/>; never throws, every error names <paramref name="option"/> and the path.</summary>
    /// <param name="path">The PEM file; other PEM blocks (e.g. a private key) are ignored.</param>
    /// <param name="option">What gave the path, for errors, e.g. <c>gateway.json: srcTls.trustedRoots[0]</c>.</param>
    /// <param name="roots">Receives the certificates; unchanged on failure. The caller disposes them.</param>
    /// <param name="error">Why the file cannot be used, or null.</param>
    public static bool TryLoad(string path, string option, X509Certificate2Collection roots, out string? error)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var source = $"{option} '{path}'";
        error = null;
        if (!File.Exists(path))
        {
            error = $"{source}: file not found";
            return false;
        }
        var loaded = new X509Certificate2Collection();
        try
        {
            loaded.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            Dispose(loaded);
            error = $"{source}: cannot be read as PEM certificates: {ex.Message}";
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Dispose(loaded);
            error = $"{source}: cannot be read: {ex.Message}";
            return false;
        }
        if (loaded.Count == 0)
        {
            error = $"{source}: holds no -----BEGIN CERTIFICATE----- block; give the CA certificate(s) in PEM";
            return false;
        }
        roots.AddRange(loaded);
        return true;
    }

    private static void Dispose(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates) certificate.Dispose();
    }
}
