namespace Siprec.Sip.Messages;

/// <summary>A parse failure: what, where, and which response a server should send (RFC 3261 §8.2, §21).</summary>
/// <param name="Reason">The failure class.</param>
/// <param name="Offset">Byte offset in the input where the problem was found.</param>
/// <param name="HeaderName">The offending header, when a header is at fault.</param>
/// <param name="SuggestedStatusCode">400 in general, 505 for a wrong version; responses are never answered.</param>
/// <param name="Detail">A human-readable explanation for logs and the 400's reason phrase.</param>
public readonly record struct SipParseError(SipParseErrorReason Reason, int Offset, string? HeaderName, int SuggestedStatusCode, string Detail)
{
    /// <summary>The no-error value.</summary>
    public static SipParseError None => new(SipParseErrorReason.None, 0, null, 0, "");
}
