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
        if (!MessageBody.TrySplit(contentType, body, out var parts, out error)) return false;

        var sdpPart = MessageBody.FindPart(parts, "application", "sdp");
        // RFC 7866 registers the +xml type; some SRCs label the part plain application/rs-metadata.
        var metadataPart = MessageBody.FindPart(parts, "application", "rs-metadata+xml") ?? MessageBody.FindPart(parts, "application", "rs-metadata");
        if (sdpPart is null)
        {
            error = $"body has no application/sdp part; parts: {MessageBody.DescribeParts(parts)}";
            return false;
        }
        if (!TryParseSdp(sdpPart.Body, out sdp, out error)) return false;
        if (metadataPart is not null) metadata = RecordingMetadataReader.Read(metadataPart.Body);
        else error = MessageBody.DescribeParts(parts);
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
}
