namespace Siprec.Gateway;

/// <summary>One recording request handled on a call (over SIP INFO or from the flow) and how it was answered; DESIGN §4.2.</summary>
/// <param name="Reason">The <c>X-Reason</c> value as received (empty when the header was missing).</param>
/// <param name="StatusCode">The SIP status code answered.</param>
/// <param name="Warning">The text carried in the <c>Warning: 399</c> header, null when none was sent.</param>
public sealed record InfoExchange(string Reason, int StatusCode, string? Warning);
