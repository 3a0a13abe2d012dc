using System.Text;
using Siprec.Recorder.Metadata;
using Siprec.Sip.Bodies;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Offers;

/// <summary>
/// Splits an INVITE body into SDP and recording metadata (RFC 7866 §6.1, RFC 2046 multipart). Tolerates what
/// SRCs in the field send: LF line endings, metadata before SDP, <c>application/rs-metadata</c> without
/// <c>+xml</c>, a missing boundary parameter, extra parts. Never throws; a body that is not a SIPREC offer
/// comes back with the reason.
/// </summary>
internal static class SiprecOfferReader
{
    /// <summary>Reads the body of an initial SIPREC INVITE; metadata is required.</summary>
    public static bool TryReadInitial(string? contentType, ReadOnlyMemory<byte> body, out SiprecOffer? offer, out string? error)
    {
        offer = null;
        if (!TryReadParts(contentType, body, out var sdp, out var metadata, out error)) return false;
        if (metadata is null)
        {
            error = MediaType.TryParse(contentType ?? "", out var type) && type!.Is("application", "sdp")
                ? "plain SDP offer without recording metadata: not a SIPREC session (RFC 7866 §6.1 needs multipart/mixed with application/rs-metadata+xml)"
                : $"multipart body has no application/rs-metadata+xml part (RFC 7866 §6.1); parts: {error}";
            return false;
        }
        offer = new SiprecOffer(sdp!, metadata);
        error = null;
        return true;
    }

    /// <summary>Reads the body of a re-INVITE or UPDATE: SDP alone or with a metadata update.</summary>
    public static bool TryReadUpdate(string? contentType, ReadOnlyMemory<byte> body, out SiprecOffer? offer, out string? error)
    {
        offer = null;
        if (!TryReadParts(contentType, body, out var sdp, out var metadata, out error)) return false;
        offer = new SiprecOffer(sdp!, metadata);
        error = null;
        return true;
    }

    private static bool TryReadParts(string? contentType, ReadOnlyMemory<byte> body, out SdpSession? sdp, out RecordingMetadata? metadata, out string? error)
    {
        sdp = null;
        metadata = null;
        if (body.IsEmpty || string.IsNullOrWhiteSpace(contentType))
        {
            error = "INVITE has no body; a SIPREC offer is multipart/mixed with application/sdp and application/rs-metadata+xml (RFC 7866 §6.1)";
            return false;
        }
        if (!MediaType.TryParse(contentType, out var type) || type is null)
        {
            error = $"unreadable Content-Type '{contentType}'";
            return false;
        }
        if (type.Is("application", "sdp"))
        {
            error = null;
            return TryParseSdp(body, out sdp, out error);
        }
        if (!type.Type.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            error = $"unsupported Content-Type '{contentType}'; expected multipart/mixed (RFC 7866 §6.1)";
            return false;
        }

        var boundary = type.GetParameter("boundary") is { Length: > 0 } given ? given.Trim('"') : FirstDelimiter(body.Span);
        if (boundary is null)
        {
            error = "multipart body without boundary parameter or delimiter line";
            return false;
        }
        if (!MultipartBody.TryParse(body.Span, boundary, out var parts, out var multipartError))
        {
            error = $"multipart body unreadable: {multipartError}";
            return false;
        }

        MimePart? sdpPart = null, metadataPart = null;
        foreach (var part in parts)
        {
            if (!MediaType.TryParse(part.ContentType ?? "", out var partType) || partType is null) continue;
            if (sdpPart is null && partType.Is("application", "sdp")) sdpPart = part;
            else if (metadataPart is null && (partType.Is("application", "rs-metadata+xml") || partType.Is("application", "rs-metadata"))) metadataPart = part;
        }
        if (sdpPart is null)
        {
            error = $"multipart body has no application/sdp part; parts: {DescribeParts(parts)}";
            return false;
        }
        if (!TryParseSdp(sdpPart.Body, out sdp, out error)) return false;
        if (metadataPart is not null) metadata = RecordingMetadataReader.Read(metadataPart.Body);
        else error = DescribeParts(parts);
        return true;
    }

    private static bool TryParseSdp(ReadOnlyMemory<byte> body, out SdpSession? sdp, out string? error)
    {
        if (SdpSession.TryParse(Encoding.UTF8.GetString(body.Span), out sdp, out var sdpError) && sdp is not null)
        {
            error = null;
            return true;
        }
        error = $"SDP offer unreadable: {sdpError}";
        return false;
    }

    private static string DescribeParts(IReadOnlyList<MimePart> parts) =>
        parts.Count == 0 ? "(none)" : string.Join(", ", parts.Select(p => p.ContentType ?? "(no Content-Type)"));

    /// <summary>The boundary named by the first line starting with "--" (bodies whose Content-Type lost its parameter).</summary>
    internal static string? FirstDelimiter(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r', ' ', '\t');
            if (line.StartsWith("--", StringComparison.Ordinal) && line.Length > 2) return line[2..];
        }
        return null;
    }
}
