using Siprec.Sip.Messages;

namespace Siprec.Sip.Bodies;

/// <summary>One body part of a multipart body (RFC 2046 §5.1): its headers and byte-exact content.</summary>
/// <param name="Headers">Part headers in order (Content-Type, Content-Disposition, …).</param>
/// <param name="Body">The part content, byte-exact.</param>
public sealed record MimePart(IReadOnlyList<SipHeader> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>Creates a part with a Content-Type and optionally a Content-Disposition (RFC 5621 §9.1).</summary>
    public static MimePart Create(string contentType, ReadOnlyMemory<byte> body, string? contentDisposition = null)
    {
        var headers = new List<SipHeader> { new("Content-Type", contentType) };
        if (contentDisposition is not null) headers.Add(new SipHeader("Content-Disposition", contentDisposition));
        return new MimePart(headers, body);
    }

    /// <summary>The Content-Type value, or null (RFC 2046 then implies text/plain).</summary>
    public string? ContentType => Find("Content-Type");

    /// <summary>The Content-Disposition value, or null.</summary>
    public string? ContentDisposition => Find("Content-Disposition");

    /// <summary>The first value of part header <paramref name="name"/>, case-insensitive, or null.</summary>
    public string? GetHeader(string name) => Find(name);

    private string? Find(string name)
    {
        foreach (var header in Headers)
        {
            if (HeaderNames.Matches(header.Name, name)) return header.Value;
        }
        return null;
    }
}
