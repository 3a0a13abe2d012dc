using System.Text;
using Siprec.Recorder.Offers;
using Siprec.Testing;

namespace Siprec.Recorder.Tests.Support;

/// <summary>A captured SRC body from the conformance folder, as the SRS would receive it.</summary>
internal sealed record VendorOffer(string Name, string? ContentType, byte[] Body, IReadOnlyList<string> Labels, int MediaLines)
{
    /// <summary>The negative rows of the vendor README: no usable metadata part.</summary>
    public static readonly string[] Rejected = ["broadworks-offer.txt", "non-siprec-payload.txt"];

    /// <summary>Every SIP body in both vendor folders (the <c>sample-sdp*</c> SDP pairs are not bodies), bare LF and CRLF.</summary>
    public static IEnumerable<object[]> All()
    {
        foreach (var folder in new[] { "vendor-offers", "vendor-offers-extra" })
        {
            var directory = Path.Combine(Conformance.Directory, "siprec-vendors", folder);
            // Without the folder one row remains, and Conformance.File skips it (or fails it under CI).
            IEnumerable<string> names = Directory.Exists(directory)
                ? Directory.GetFiles(directory, "*.txt").Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith("sample-sdp", StringComparison.Ordinal)).Order()
                : ["acme-siprec-offer.txt"];
            foreach (var name in names)
            {
                yield return [folder, name, false];
                yield return [folder, name, true];
            }
        }
    }

    /// <summary>Reads the file in place; <paramref name="crlf"/> converts bare LF to CRLF (the wire form).</summary>
    public static VendorOffer Load(string folder, string name, bool crlf)
    {
        var text = File.ReadAllText(Conformance.File("siprec-vendors", folder, name));
        if (crlf) text = text.Replace("\r\n", "\n").Replace("\n", "\r\n");
        var body = Encoding.UTF8.GetBytes(text);
        var boundary = Siprec.Sip.Bodies.MessageBody.FirstDelimiter(body);
        var contentType = boundary is null ? "application/sdp" : $"multipart/mixed;boundary={boundary}";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var labels = lines.Where(l => l.StartsWith("a=label:", StringComparison.Ordinal)).Select(l => l["a=label:".Length..].Trim()).ToList();
        var mediaLines = lines.Count(l => l.StartsWith("m=", StringComparison.Ordinal));
        return new VendorOffer(name, contentType, body, labels, mediaLines);
    }
}
