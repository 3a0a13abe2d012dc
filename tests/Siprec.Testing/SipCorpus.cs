using System.Text;

namespace Siprec.Testing;

/// <summary>
/// The wire inputs for robustness runs, read in place from the conformance folder: every RFC 4475 message and
/// every vendor SIPREC body (bare LF as stored and converted to CRLF, the wire form).
/// </summary>
public static class SipCorpus
{
    /// <summary>Loads the corpus; throws <see cref="DirectoryNotFoundException"/> naming the folder when it is absent.</summary>
    public static IReadOnlyList<byte[]> Load()
    {
        var root = Conformance.Directory;
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"conformance folder not found at {root} (set SIPREC_CONFORMANCE_DIR)");
        var corpus = new List<byte[]>();
        foreach (var path in Directory.GetFiles(Path.Combine(root, "rfc4475"), "*.dat").Order(StringComparer.Ordinal))
        {
            corpus.Add(File.ReadAllBytes(path));
        }
        foreach (var folder in (string[])["vendor-offers", "vendor-offers-extra"])
        {
            var directory = Path.Combine(root, "siprec-vendors", folder);
            if (!Directory.Exists(directory)) continue;
            foreach (var path in Directory.GetFiles(directory, "*.txt").Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(path);
                corpus.Add(bytes);
                corpus.Add(Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).Replace("\r\n", "\n").Replace("\n", "\r\n")));
            }
        }
        return corpus;
    }
}
