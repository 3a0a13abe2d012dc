namespace Siprec.Sip.Messages;

/// <summary>The verdict of <see cref="SipMessageCheck"/> on one message (RFC 3261 §8.2, RFC 4475).</summary>
/// <param name="Message">The parsed message, or null when it did not parse.</param>
/// <param name="StatusCode">The error response to send (400, 505, 501, 416, 420, 406, 415, 483), or null when valid or dropped.</param>
/// <param name="Problem">What is wrong, naming the field and value; null when valid.</param>
public sealed record SipCheckResult(SipMessage? Message, int? StatusCode, string? Problem)
{
    /// <summary>True when the message is accepted for processing.</summary>
    public bool IsValid => Problem is null;

    /// <summary>True when the message is invalid and must be discarded without a response (responses, ACKs).</summary>
    public bool IsDropped => Problem is not null && StatusCode is null;
}
