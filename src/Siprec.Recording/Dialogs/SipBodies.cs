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
        var body = ReadPart(message, "application", "sdp", out error);
        return body is { } sdp ? Parse(sdp.Span, out error) : null;
    }

    /// <summary>True when the message carries an RFC 7866 §9.2 snapshot request (alone or as a multipart part).</summary>
    public static bool HasSnapshotRequest(SipMessage message) => ReadPart(message, "application", "rs-metadata-request", out _) is not null;

    /// <summary>
    /// The body of type <paramref name="type"/>/<paramref name="subType"/>: the whole body, or the first such part of a
    /// multipart body; null (with the reason) when there is none.
    /// </summary>
    public static ReadOnlyMemory<byte>? ReadPart(SipMessage message, string type, string subType, out string? error)
    {
        error = null;
        if (message.Body.IsEmpty || message.ContentType is not { } contentType)
        {
            error = "no body";
            return null;
        }

        if (!MediaType.TryParse(contentType, out var parsed) || parsed is null)
        {
            error = $"unparsable Content-Type '{contentType}'";
            return null;
        }

        if (parsed.Is(type, subType))
            return message.Body;

        if (string.Equals(parsed.Type, "multipart", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = parsed.GetParameter("boundary");
            if (string.IsNullOrEmpty(boundary) || !MultipartBody.TryParse(message.Body.Span, boundary, out var parts, out error))
            {
                error ??= "multipart body without boundary";
                return null;
            }

            foreach (var part in parts)
            {
                if (part.ContentType is { } partType && MediaType.TryParse(partType, out var pt) && pt is not null && pt.Is(type, subType))
                    return part.Body;
            }

            error = $"multipart body without an {type}/{subType} part";
            return null;
        }

        error = $"body is {contentType}, not {type}/{subType}";
        return null;
    }

    private static SdpSession? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        return SdpSession.TryParse(Encoding.UTF8.GetString(body), out var session, out error) ? session : null;
    }
}
