using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>The result of a client transaction, as a value rather than an exception.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Response">The final response for <see cref="TransactionOutcomeKind.Response"/>, else null.</param>
/// <param name="Error">A description for timeouts and transport errors, else null.</param>
public sealed record TransactionOutcome(TransactionOutcomeKind Kind, SipResponse? Response, string? Error)
{
    /// <summary>
    /// Where the request last went: the target as given, or the TCP target the layer chose for an oversized request
    /// (RFC 3261 §18.1.1). Null only for outcomes made outside a send.
    /// </summary>
    public Transport.SipTarget? Target { get; init; }

    /// <summary>True for a 2xx final response.</summary>
    public bool IsSuccess => Kind == TransactionOutcomeKind.Response && Response is { StatusCode: >= 200 and < 300 };

    /// <summary>The status code, or 408 for a timeout and 503 for a transport error (RFC 3261 §8.1.3.1).</summary>
    public int StatusCode => Kind switch
    {
        TransactionOutcomeKind.Response => Response?.StatusCode ?? 0,
        TransactionOutcomeKind.Timeout => 408,
        _ => 503,
    };
}
