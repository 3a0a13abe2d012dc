using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Testing.Srs;

/// <summary>Takes a SIPREC request body apart the way an SRS would: plain SDP, or multipart/mixed with SDP and metadata (RFC 7866 §6.1).</summary>
public static class SiprecBody
{
    /// <summary>
    /// Reads the SDP of <paramref name="request"/> and, for a multipart/mixed body, all its parts. Strict on purpose (a
    /// check of what the SRC sends): only <c>application/sdp</c> or <c>multipart/mixed</c> with a boundary parameter.
    /// </summary>
    /// <param name="request">The INVITE, re-INVITE or UPDATE as received.</param>
    /// <param name="sdp">The parsed SDP; null when false is returned.</param>
    /// <param name="parts">The multipart parts; empty for a plain SDP body.</param>
    /// <returns>False for any other Content-Type, an unreadable multipart body, no SDP part or unparsable SDP.</returns>
    public static bool TryReadParts(SipRequest request, out SdpSession? sdp, out IReadOnlyList<MimePart> parts)
    {
        sdp = null;
        parts = [];
        if (request.ContentType is null || !MediaType.TryParse(request.ContentType, out var type) || type is null)
            return false;
        if (type.Is("application", "sdp"))
            return SdpSession.TryParse(Encoding.UTF8.GetString(request.Body.Span), out sdp, out _);
        if (!type.Is("multipart", "mixed") || type.GetParameter("boundary") is not { } boundary
            || !MultipartBody.TryParse(request.Body.Span, boundary, out parts, out _))
            return false;
        var sdpPart = parts.FirstOrDefault(p => p.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) == true);
        return sdpPart is not null && SdpSession.TryParse(Encoding.UTF8.GetString(sdpPart.Body.Span), out sdp, out _);
    }

    /// <summary>The SDP of a request, plain or inside multipart/mixed; null when <see cref="TryReadParts"/> finds none.</summary>
    public static SdpSession? ReadSdp(SipRequest request) => TryReadParts(request, out var sdp, out _) ? sdp : null;
}
