namespace Siprec.Sip.Messages;

/// <summary>A SIP request (RFC 3261 §7.1).</summary>
/// <param name="Method">The method token, case-sensitive (see <see cref="SipMethods"/>).</param>
/// <param name="RequestUri">The Request-URI.</param>
public sealed record SipRequest(string Method, SipUri RequestUri) : SipMessage
{
    /// <summary>The Max-Forwards value as written (RFC 3261 §20.22), or null.</summary>
    public string? MaxForwards => GetHeader("Max-Forwards")?.Trim();
}
