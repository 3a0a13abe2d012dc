namespace Siprec.Sip.Messages;

/// <summary>Why a message failed to parse (see <see cref="SipParseError"/>).</summary>
public enum SipParseErrorReason
{
    /// <summary>No error.</summary>
    None,
    /// <summary>The header block is not terminated, or the body is shorter than Content-Length.</summary>
    Incomplete,
    /// <summary>The request or status line is malformed (RFC 3261 §7.1, §7.2).</summary>
    BadStartLine,
    /// <summary>The SIP version is not SIP/2.0 (answered 505).</summary>
    BadVersion,
    /// <summary>A header line or a header the stack relies on (Via, From, To, Max-Forwards) is malformed.</summary>
    BadHeader,
    /// <summary>Content-Length is negative, not a number, or given twice with different values.</summary>
    BadContentLength,
    /// <summary>CSeq is malformed or above 2^32-1 (a method mismatch is <see cref="SipRequestValidator"/>'s 400/501).</summary>
    BadCSeq,
    /// <summary>One of Via, From, To, Call-ID, CSeq is missing (RFC 3261 §8.1.1).</summary>
    MissingHeader,
    /// <summary>The Request-URI is malformed.</summary>
    BadRequestUri,
    /// <summary>The status code is not three digits in 100..699.</summary>
    BadStatusCode,
    /// <summary>The input is empty.</summary>
    Empty,
}
