namespace Siprec.Sip.Messages;

/// <summary>A SIP response (RFC 3261 §7.2).</summary>
/// <param name="StatusCode">The status code, 100..699.</param>
/// <param name="ReasonPhrase">The reason phrase (may be empty).</param>
public sealed record SipResponse(int StatusCode, string ReasonPhrase) : SipMessage
{
    /// <summary>True for 1xx.</summary>
    public bool IsProvisional => StatusCode is >= 100 and < 200;

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>
    /// A response to <paramref name="request"/> per RFC 3261 §8.2.6.2: copies every Via, From, To (adding
    /// <paramref name="toTag"/> when To has no tag yet), Call-ID and CSeq; empty body. A 101-299 answer to a request
    /// that can establish a dialog (INVITE, SUBSCRIBE, REFER, NOTIFY) also copies every Record-Route value in order
    /// (RFC 3261 §12.1.1), so the peer's route set, and with it its ACK and later in-dialog requests, goes through every
    /// record-routing proxy on the path.
    /// </summary>
    /// <param name="request">The request being answered.</param>
    /// <param name="statusCode">100..699.</param>
    /// <param name="reasonPhrase">Null for the default phrase of <see cref="SipReasonPhrases"/>.</param>
    /// <param name="toTag">The UAS tag; ignored when the request's To already carries one.</param>
    /// <exception cref="ArgumentOutOfRangeException">The status code is outside 100..699 (programmer error).</exception>
    public static SipResponse CreateFor(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (statusCode is < 100 or > 699) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "SIP status codes are 100..699");
        var headers = new List<SipHeader>();
        var copyRecordRoute = statusCode is > 100 and < 300 && request.Method is SipMethods.Invite or "SUBSCRIBE" or "REFER" or "NOTIFY";
        foreach (var header in request.Headers)
        {
            var canonical = HeaderNames.Canonical(header.Name);
            if (copyRecordRoute && canonical.Equals("Record-Route", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
            else if (canonical.Equals("Via", StringComparison.OrdinalIgnoreCase)
                || canonical.Equals("From", StringComparison.OrdinalIgnoreCase)
                || canonical.Equals("Call-ID", StringComparison.OrdinalIgnoreCase)
                || canonical.Equals("CSeq", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
            else if (canonical.Equals("To", StringComparison.OrdinalIgnoreCase))
            {
                var value = header.Value;
                if (toTag is not null && !(NameAddress.TryParse(value, out var to) && to!.Tag is not null))
                {
                    value = value + ";tag=" + toTag;
                }
                headers.Add(new SipHeader(header.Name, value));
            }
        }
        return new SipResponse(statusCode, reasonPhrase ?? SipReasonPhrases.Get(statusCode)) { Headers = headers };
    }
}
