using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Fuzz;

/// <summary>Feeds one input to every wire parser the way the stack does; any exception escaping is a bug.</summary>
internal static class FuzzTarget
{
    /// <summary>True when the input was accepted as a SIP message or as a multipart body.</summary>
    public static bool Run(byte[] data)
    {
        var accepted = false;
        if (SipParser.TryParse(data, out var message, out _))
        {
            accepted = true;
            _ = SipSerializer.Serialize(message!);
            if (message is SipRequest request) _ = SipRequestValidator.TryValidate(request, SipValidationPolicy.Default, out _);
            if (message!.ContentType is { } type && MediaType.TryParse(type, out var media) && media!.GetParameter("boundary") is { } boundary)
            {
                ParseMultipart(message.Body.Span, boundary);
            }
            else _ = SdpSession.TryParse(message.Body.Span, out _, out _);
        }
        if (GuessBoundary(data) is { } implied) accepted |= ParseMultipart(data, implied);
        _ = SdpSession.TryParse(data, out _, out _);
        return accepted;
    }

    private static bool ParseMultipart(ReadOnlySpan<byte> body, string boundary)
    {
        if (!MultipartBody.TryParse(body, boundary, out var parts, out _)) return false;
        foreach (var part in parts)
        {
            _ = SdpSession.TryParse(part.Body.Span, out _, out _);
            _ = part.ContentType is { } t && MediaType.TryParse(t, out _);
        }
        return true;
    }

    /// <summary>Vendor bodies come without headers: the boundary is the first <c>--</c> line.</summary>
    private static string? GuessBoundary(byte[] data)
    {
        var text = Encoding.Latin1.GetString(data);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r', ' ');
            if (trimmed.StartsWith("--", StringComparison.Ordinal) && trimmed.Length > 2) return trimmed[2..];
        }
        return null;
    }
}
