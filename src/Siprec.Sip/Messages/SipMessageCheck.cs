namespace Siprec.Sip.Messages;

/// <summary>
/// Reads one datagram as a UAS would (RFC 3261 §8.2, §18.3, RFC 4475): parse, then validate a request; says
/// whether it is accepted, answered with an error response, or dropped. Never throws on wire input.
/// </summary>
public static class SipMessageCheck
{
    /// <summary>Checks <paramref name="datagram"/> (one whole message) against <paramref name="policy"/>.</summary>
    /// <param name="datagram">The message bytes; trailing octets after Content-Length are ignored (RFC 4475 §3.1.1.8).</param>
    /// <param name="policy">What this UAS supports.</param>
    /// <returns>The verdict; <see cref="SipCheckResult.StatusCode"/> is null for a drop.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null (programmer error).</exception>
    public static SipCheckResult Check(ReadOnlySpan<byte> datagram, SipValidationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!SipParser.TryParse(datagram, out var message, out var error))
        {
            var trimmed = datagram.TrimStart("\r\n"u8);
            // A response is never answered (RFC 3261 §18.1.2 discards malformed responses); an ACK neither (§17.2.3).
            var drop = trimmed.StartsWith("SIP/"u8) || trimmed.StartsWith("ACK "u8) || error.SuggestedStatusCode < 400;
            return new SipCheckResult(null, drop ? null : error.SuggestedStatusCode, error.Detail);
        }
        if (message is SipRequest request && !SipRequestValidator.TryValidate(request, policy, out var rejection, out var detail))
        {
            return new SipCheckResult(message, rejection?.StatusCode, detail);
        }
        return new SipCheckResult(message, null, null);
    }
}
