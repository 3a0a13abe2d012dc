using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>Reads the SIP messages sipp logged (<c>-trace_msg</c>) with the project's parsers, for assertions on what crossed the wire.</summary>
internal static partial class SipTrace
{
    /// <summary>The RFC 7865 metadata namespace.</summary>
    public static readonly XNamespace Recording = "urn:ietf:params:xml:ns:recording:1";

    /// <summary>The method named in the message's CSeq header, or null when it has none.</summary>
    public static string? CSeqMethod(string raw)
    {
        var match = CSeqLine().Match(raw);
        return match.Success ? match.Groups["method"].Value : null;
    }

    /// <summary>Parses a logged message (line endings as logged are normalised to CRLF first); fails the test naming the parse error.</summary>
    public static SipMessage Parse(string raw)
    {
        var wire = raw.ReplaceLineEndings("\r\n");
        Assert.True(SipParser.TryParse(Encoding.UTF8.GetBytes(wire), out var message, out var error),
            $"logged message does not parse ({error.Reason} at {error.Offset}: {error.Detail}):\n{raw}");
        return message!;
    }

    /// <summary>The body as MIME parts: the parts of a <c>multipart/*</c> body, else one part with the message's Content-Type; none when there is no body.</summary>
    public static IReadOnlyList<MimePart> Parts(SipMessage message)
    {
        if (message.Body.IsEmpty || message.ContentType is not { } contentType)
            return [];
        Assert.True(MediaType.TryParse(contentType, out var type), $"unparsable Content-Type '{contentType}'");
        if (!string.Equals(type!.Type, "multipart", StringComparison.OrdinalIgnoreCase))
            return [new MimePart([new SipHeader("Content-Type", contentType)], message.Body)];
        var boundary = type.GetParameter("boundary");
        Assert.False(string.IsNullOrEmpty(boundary), $"multipart Content-Type without boundary: '{contentType}'");
        Assert.True(MultipartBody.TryParse(message.Body.Span, boundary!, out var parts, out var error), $"multipart body does not parse: {error}");
        return parts;
    }

    /// <summary>The body part of type <paramref name="type"/>/<paramref name="subType"/>, or null.</summary>
    public static MimePart? Part(SipMessage message, string type, string subType) =>
        Parts(message).FirstOrDefault(p => p.ContentType is { } ct && MediaType.TryParse(ct, out var mt) && mt!.Is(type, subType));

    /// <summary>The message's SDP (alone or in a multipart body), or null when it has none; fails the test when it does not parse.</summary>
    public static SdpSession? Sdp(SipMessage message)
    {
        if (Part(message, "application", "sdp") is not { } part)
            return null;
        var text = Encoding.UTF8.GetString(part.Body.Span);
        Assert.True(SdpSession.TryParse(text, out var sdp, out var error), $"SDP does not parse: {error}\n{text}");
        return sdp;
    }

    /// <summary>The message's RFC 7865 metadata (<c>application/rs-metadata+xml</c>), or null when it has none; fails the test when it is not XML.</summary>
    public static XDocument? Metadata(SipMessage message)
    {
        if (Part(message, "application", "rs-metadata+xml") is not { } part)
            return null;
        var text = Encoding.UTF8.GetString(part.Body.Span);
        try
        {
            return XDocument.Parse(text);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new Xunit.Sdk.XunitException($"metadata is not well-formed XML ({ex.Message}):\n{text}");
        }
    }

    /// <summary>Each <c>m=</c> line of <paramref name="sdp"/> as (port, label, direction), in m-line order.</summary>
    public static IReadOnlyList<(int Port, string? Label, SdpDirection Direction)> Streams(SdpSession sdp) =>
        sdp.Media.Select(m => (m.Port, m.Label, m.Direction)).ToList();

    [GeneratedRegex(@"(?mi)^CSeq:\s*\d+\s+(?<method>[A-Za-z]+)")]
    private static partial Regex CSeqLine();
}
