using Siprec.Sip.Bodies;

namespace Siprec.Sip.Messages;

/// <summary>
/// The checks a UAS makes on a request that parsed (RFC 3261 §8.2, RFC 4475 §3.3): the single place that turns
/// semantic problems into a response (400, 501, 483, 416, 420, 406, 415). Never throws on wire content.
/// </summary>
public static class SipRequestValidator
{
    /// <summary>Headers that may appear only once (RFC 3261 §7.3.1, §20; RFC 4475 §3.3.8).</summary>
    private static readonly string[] SingleValued = ["Call-ID", "CSeq", "From", "To", "Content-Length", "Max-Forwards"];

    /// <summary>
    /// Validates <paramref name="request"/> against <paramref name="policy"/>. True when it may be processed; else
    /// <paramref name="rejection"/> is the response to send (with a To tag and a 399 Warning naming the problem),
    /// or null for an ACK, which is never answered (RFC 3261 §17.2.3) and is dropped.
    /// </summary>
    /// <param name="request">A request that <see cref="SipParser"/> accepted (or one built in code).</param>
    /// <param name="policy">What this UAS supports; <see cref="SipValidationPolicy.Default"/> for the stack's defaults.</param>
    /// <param name="rejection">The error response, or null when valid or when the request is an ACK.</param>
    /// <exception cref="ArgumentNullException">An argument is null (programmer error).</exception>
    public static bool TryValidate(SipRequest request, SipValidationPolicy policy, out SipResponse? rejection) =>
        TryValidate(request, policy, out rejection, out _);

    /// <summary>As the public overload; also returns the problem in words (null when valid).</summary>
    internal static bool TryValidate(SipRequest request, SipValidationPolicy policy, out SipResponse? rejection, out string? detail)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        rejection = null;
        var problem = Check(request, policy, out var extra);
        detail = problem?.Detail;
        if (problem is null) return true;
        if (request.Method == SipMethods.Ack) return false;
        var response = SipResponse.CreateFor(request, problem.Value.Status, toTag: SipIds.NewTag());
        if (extra is not null) response = response.AddHeader(extra.Value.Name, extra.Value.Value);
        rejection = response.AddHeader("Warning", "399 siprec " + SipGrammar.Quote(Printable(problem.Value.Detail)));
        return false;
    }

    private static (int Status, string Detail)? Check(SipRequest request, SipValidationPolicy policy, out SipHeader? extra)
    {
        extra = null;
        foreach (var name in SingleValued)
        {
            var count = 0;
            foreach (var header in request.Headers)
            {
                if (HeaderNames.Matches(header.Name, name)) count++;
            }
            if (count > 1) return (400, $"{name} appears {count} times; it is single-valued");
        }

        var cseq = request.CSeq;
        if (cseq is null) return (400, $"missing or malformed CSeq '{request.GetHeader("CSeq")}'");
        if (!string.Equals(cseq.Value.Method, request.Method, StringComparison.Ordinal))
        {
            var status = Contains(policy.KnownMethods, request.Method, StringComparison.Ordinal) ? 400 : 501;
            return (status, $"CSeq method '{cseq.Value.Method}' differs from request method '{request.Method}'");
        }

        if (request.Method != SipMethods.Options
            && int.TryParse(request.MaxForwards, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hops)
            && hops == 0)
        {
            return (483, "Max-Forwards is 0");
        }

        if (!Contains(policy.SupportedSchemes, request.RequestUri.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (416, $"Request-URI scheme '{request.RequestUri.Scheme}' is not supported");
        }

        if (request.Method is not (SipMethods.Cancel or SipMethods.Ack))
        {
            var unsupported = new List<string>();
            foreach (var header in (string[])["Require", "Proxy-Require"])
            {
                foreach (var tag in request.GetHeaderValues(header))
                {
                    if (!Contains(policy.SupportedExtensions, tag, StringComparison.OrdinalIgnoreCase)
                        && !Contains(unsupported, tag, StringComparison.OrdinalIgnoreCase))
                    {
                        unsupported.Add(tag);
                    }
                }
            }
            if (unsupported.Count > 0)
            {
                extra = new SipHeader("Unsupported", string.Join(", ", unsupported));
                return (420, "unsupported extension(s): " + string.Join(", ", unsupported));
            }
        }

        if (request.Method == SipMethods.Invite && !AcceptsSdp(request.GetHeaderValues("Accept"), out var accept))
        {
            return (406, $"Accept '{accept}' excludes application/sdp, the only answer an INVITE can get here");
        }

        if (!request.Body.IsEmpty)
        {
            var contentType = request.ContentType;
            if (contentType is null) return (400, "a body without Content-Type");
            if (!MediaType.TryParse(contentType, out var type)) return (400, $"malformed Content-Type '{contentType}'");
            if (!Contains(policy.AcceptedContentTypes, type!.Type + "/" + type.SubType, StringComparison.OrdinalIgnoreCase))
            {
                extra = new SipHeader("Accept", string.Join(", ", policy.AcceptedContentTypes));
                return (415, $"Content-Type '{type.Type}/{type.SubType}' is not accepted");
            }
        }
        return null;
    }

    /// <summary>True when there is no Accept, it is empty, or it names application/sdp, application/* or */* (RFC 3261 §8.2.3, §20.1).</summary>
    private static bool AcceptsSdp(IReadOnlyList<string> accept, out string written)
    {
        written = string.Join(", ", accept);
        if (accept.Count == 0) return true;
        foreach (var item in accept)
        {
            var range = item.Split(';')[0].Trim();
            if (range.Length == 0 || range is "*/*" || range.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                || range.Equals("application/sdp", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(IReadOnlyList<string> list, string value, StringComparison comparison)
    {
        foreach (var item in list)
        {
            if (string.Equals(item, value, comparison)) return true;
        }
        return false;
    }

    private static string Printable(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++) span[i] = source[i] < ' ' || source[i] == 0x7F ? ' ' : source[i];
    });
}
