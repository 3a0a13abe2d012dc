namespace Siprec.Sip.Messages;

/// <summary>One header field as on the wire (RFC 3261 §7.3): the name as written and the unfolded value.</summary>
/// <param name="Name">The header name as received (long or compact form, any case).</param>
/// <param name="Value">The value with line folding replaced by single spaces and outer whitespace trimmed.</param>
public readonly record struct SipHeader(string Name, string Value);
