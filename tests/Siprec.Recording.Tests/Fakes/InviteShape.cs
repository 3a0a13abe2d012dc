using System.Text;
using System.Xml.Linq;
using Siprec.Recording.Metadata;
using Siprec.Testing.Metadata;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;

namespace Siprec.Recording.Tests.Fakes;

/// <summary>Reads the RFC 7865 metadata of a SIPREC request the way an SRS would (the SDP side: <see cref="Siprec.Testing.Srs.SiprecBody"/>).</summary>
public static class InviteShape
{
    /// <summary>The rs-metadata+xml part of <paramref name="parts"/> as XML; fails unless exactly one such part exists.</summary>
    public static XDocument ReadMetadata(IReadOnlyList<MimePart> parts)
    {
        var part = parts.Single(p => p.ContentType?.StartsWith("application/rs-metadata+xml", StringComparison.OrdinalIgnoreCase) == true);
        return XDocument.Parse(Encoding.UTF8.GetString(part.Body.Span));
    }

    /// <summary>The metadata of a request the SRC sent (alone or a multipart part), checked by the project's RFC 7865 reader.</summary>
    public static RecordingMetadataDocument ReadValidMetadata(SipRequest request)
    {
        var body = ReadMetadataBytes(request) ?? throw new Xunit.Sdk.XunitException($"{request.Method} carries no rs-metadata+xml body");
        Assert.True(StrictMetadataReader.TryRead(body, out var document, out var error), $"{request.Method} metadata is not valid RFC 7865: {error}\n{Encoding.UTF8.GetString(body)}");
        return document!;
    }

    /// <summary>The rs-metadata+xml bytes of a request, or null.</summary>
    public static byte[]? ReadMetadataBytes(SipRequest request)
    {
        if (request.ContentType is null || !MediaType.TryParse(request.ContentType, out var type) || type is null)
            return null;
        if (type.Is("application", "rs-metadata+xml"))
            return request.Body.ToArray();
        if (!type.Is("multipart", "mixed") || type.GetParameter("boundary") is not { } boundary || !MultipartBody.TryParse(request.Body.Span, boundary, out var parts, out _))
            return null;
        var part = parts.FirstOrDefault(p => p.ContentType?.StartsWith("application/rs-metadata+xml", StringComparison.OrdinalIgnoreCase) == true);
        return part?.Body.ToArray();
    }
}
