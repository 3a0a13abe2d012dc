using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Dialogs;

/// <summary>Reads the SDP out of an SRS message whose body is <c>application/sdp</c> or a multipart holding one.</summary>
internal static class SipBodies
{
    /// <summary>The SDP of the message, or null when it has none or it does not parse (the error says why).</summary>
    public static SdpSession? ReadSdp(SipMessage message, out string? error)
    {
        error = null;
        if (message.Body.IsEmpty || message.ContentType is not { } contentType)
        {
            error = "no body";
            return null;
        }

        if (!MediaType.TryParse(contentType, out var type) || type is null)
        {
            error = $"unparsable Content-Type '{contentType}'";
            return null;
        }

        if (type.Is("application", "sdp"))
            return Parse(message.Body.Span, out error);

        if (string.Equals(type.Type, "multipart", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = type.GetParameter("boundary");
            if (string.IsNullOrEmpty(boundary) || !MultipartBody.TryParse(message.Body.Span, boundary, out var parts, out error))
            {
                error ??= "multipart body without boundary";
                return null;
            }

            foreach (var part in parts)
            {
                if (part.ContentType is { } partType && MediaType.TryParse(partType, out var pt) && pt is not null && pt.Is("application", "sdp"))
                    return Parse(part.Body.Span, out error);
            }

            error = "multipart body without an application/sdp part";
            return null;
        }

        error = $"body is {contentType}, not SDP";
        return null;
    }

    private static SdpSession? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        return SdpSession.TryParse(Encoding.UTF8.GetString(body), out var session, out error) ? session : null;
    }
}
