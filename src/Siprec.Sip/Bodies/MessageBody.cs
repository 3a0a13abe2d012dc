using System.Text;

namespace Siprec.Sip.Bodies;

/// <summary>
/// Finds the body part of a wanted media type in a SIP message body (RFC 3261 §7.4, RFC 5621 §3): the whole body
/// when its Content-Type is that type, else a part of a <c>multipart/*</c> body (RFC 2046 §5.1; SIPREC offers are
/// <c>multipart/mixed</c>, RFC 7866 §6.1, but SRSs and SBCs also send <c>multipart/alternative</c>). Liberal in what
/// it reads: a boundary parameter that is missing or empty falls back to the first delimiter line of the body, stray
/// quotes around it are removed. Never throws on wire input; failures come back with an error text naming the field
/// and value.
/// </summary>
public static class MessageBody
{
    // RFC 2046 §5.1.1: a part without Content-Type is text/plain.
    private static readonly MediaType ImpliedPartType = new("text", "plain");

    /// <summary>
    /// The first part of type <paramref name="type"/>/<paramref name="subType"/>: the whole body (as one part carrying
    /// <paramref name="contentType"/>) when the body is of that type, else the first matching part of a multipart body.
    /// </summary>
    /// <param name="contentType">The message's Content-Type header value; null when absent.</param>
    /// <param name="body">The message body, byte-exact.</param>
    /// <param name="type">The wanted top-level type, e.g. <c>application</c> (case-insensitive).</param>
    /// <param name="subType">The wanted subtype, e.g. <c>sdp</c> (case-insensitive).</param>
    /// <param name="part">The matching part, its body byte-exact; null on failure.</param>
    /// <param name="error">
    /// Null on success, else why: empty body, missing or unparsable Content-Type, a type that is neither the wanted one
    /// nor multipart, an unreadable multipart body, or no matching part (the parts' types are listed).
    /// </param>
    /// <returns>True when a matching part was found.</returns>
    public static bool TryFindPart(string? contentType, ReadOnlyMemory<byte> body, string type, string subType, out MimePart? part, out string? error)
    {
        part = null;
        if (!TryReadType(contentType, body, out var mediaType, out error)) return false;
        if (mediaType!.Is(type, subType))
        {
            part = MimePart.Create(contentType!, body);
            return true;
        }
        if (!IsMultipart(mediaType))
        {
            error = $"Content-Type '{contentType}' is neither {type}/{subType} nor multipart/*";
            return false;
        }
        if (!TrySplitMultipart(mediaType, body, out var parts, out error)) return false;
        part = FindPart(parts, type, subType);
        if (part is null) error = $"{mediaType.Type}/{mediaType.SubType} body has no {type}/{subType} part; parts: {DescribeParts(parts)}";
        return part is not null;
    }

    /// <summary>
    /// The body as parts: the parts of a <c>multipart/*</c> body in order, or the whole body as one part carrying
    /// <paramref name="contentType"/>. For callers that look for several types in one body.
    /// </summary>
    /// <param name="contentType">The message's Content-Type header value; null when absent.</param>
    /// <param name="body">The message body, byte-exact.</param>
    /// <param name="parts">The parts; empty on failure.</param>
    /// <param name="error">Null on success, else why (empty body, missing or unparsable Content-Type, unreadable multipart body).</param>
    /// <returns>True when the body could be read.</returns>
    public static bool TrySplit(string? contentType, ReadOnlyMemory<byte> body, out IReadOnlyList<MimePart> parts, out string? error)
    {
        parts = Array.Empty<MimePart>();
        if (!TryReadType(contentType, body, out var mediaType, out error)) return false;
        if (IsMultipart(mediaType!)) return TrySplitMultipart(mediaType!, body, out parts, out error);
        parts = [MimePart.Create(contentType!, body)];
        return true;
    }

    /// <summary>The first of <paramref name="parts"/> of type <paramref name="type"/>/<paramref name="subType"/>, or null; a part without Content-Type is <c>text/plain</c> (RFC 2046 §5.1.1), one with an unparsable Content-Type matches nothing.</summary>
    public static MimePart? FindPart(IReadOnlyList<MimePart> parts, string type, string subType)
    {
        foreach (var part in parts)
        {
            var partType = ImpliedPartType;
            if (part.ContentType is { } text && !MediaType.TryParse(text, out partType)) continue;
            if (partType!.Is(type, subType)) return part;
        }
        return null;
    }

    /// <summary>The parts' Content-Type values, comma-separated, for error texts; <c>(none)</c> when there are no parts.</summary>
    public static string DescribeParts(IReadOnlyList<MimePart> parts) =>
        parts.Count == 0 ? "(none)" : string.Join(", ", parts.Select(p => p.ContentType ?? "(no Content-Type)"));

    /// <summary>
    /// The boundary named by the first line that starts with <c>--</c> (trailing CR, spaces and tabs dropped), or null;
    /// reads multipart bodies whose Content-Type lost its boundary parameter, as some SRCs send them.
    /// </summary>
    public static string? FirstDelimiter(ReadOnlySpan<byte> body)
    {
        var rest = body;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = (end < 0 ? rest : rest[..end]).TrimEnd("\r \t"u8);
            rest = end < 0 ? default : rest[(end + 1)..];
            if (line.Length > 2 && line[0] == (byte)'-' && line[1] == (byte)'-') return Encoding.UTF8.GetString(line[2..]);
        }
        return null;
    }

    private static bool TryReadType(string? contentType, ReadOnlyMemory<byte> body, out MediaType? mediaType, out string? error)
    {
        mediaType = null;
        if (body.IsEmpty)
        {
            error = "the body is empty";
            return false;
        }
        if (string.IsNullOrWhiteSpace(contentType))
        {
            error = $"Content-Type is missing for a body of {body.Length} bytes (RFC 3261 §20.15)";
            return false;
        }
        if (!MediaType.TryParse(contentType, out mediaType) || mediaType is null)
        {
            error = $"Content-Type '{contentType}' is not a type/subtype media type (RFC 2045 §5.1)";
            return false;
        }
        error = null;
        return true;
    }

    private static bool IsMultipart(MediaType mediaType) => mediaType.Type.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    private static bool TrySplitMultipart(MediaType mediaType, ReadOnlyMemory<byte> body, out IReadOnlyList<MimePart> parts, out string? error)
    {
        parts = Array.Empty<MimePart>();
        var name = $"{mediaType.Type}/{mediaType.SubType}";
        var boundary = mediaType.GetParameter("boundary")?.Trim('"') is { Length: > 0 } given ? given : FirstDelimiter(body.Span);
        if (boundary is null)
        {
            error = $"{name} body has neither a boundary parameter nor a '--' delimiter line";
            return false;
        }
        if (!MultipartBody.TryParse(body.Span, boundary, out parts, out var multipartError))
        {
            error = $"{name} body unreadable: {multipartError}";
            return false;
        }
        error = null;
        return true;
    }
}
