using Siprec.Sip.Transactions;

namespace Siprec.Recording;

/// <summary>The result for one SRS: how it answered, its status code when it answered, and a readable detail.</summary>
/// <param name="SrsUri">The SRS URI as given in the request.</param>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The SIP final status code, when the SRS answered one.</param>
/// <param name="Detail">Human-readable text for logs and the INFO <c>Warning</c>, e.g. <c>486 Busy Here</c>.</param>
public sealed record SrsOutcome(string SrsUri, SrsOutcomeKind Kind, int? StatusCode, string Detail)
{
    /// <summary>The SRS URI and what happened, e.g. <c>sip:srs@host: 486 Busy Here</c>.</summary>
    public override string ToString() => $"{SrsUri}: {Detail}";

    /// <summary>The outcome of one transaction of <paramref name="what"/> (e.g. <c>re-INVITE</c>) towards <paramref name="srsUri"/>.</summary>
    internal static SrsOutcome Of(string srsUri, TransactionOutcome result, string what) => result.Kind switch
    {
        TransactionOutcomeKind.Timeout => new SrsOutcome(srsUri, SrsOutcomeKind.Timeout, null, $"no answer to {what}"),
        TransactionOutcomeKind.TransportError => new SrsOutcome(srsUri, SrsOutcomeKind.TransportError, null, result.Error ?? "transport error"),
        _ when result.Response is { } r => new SrsOutcome(srsUri, result.IsSuccess ? SrsOutcomeKind.Accepted : SrsOutcomeKind.Rejected, r.StatusCode, $"{r.StatusCode} {r.ReasonPhrase}"),
        _ => new SrsOutcome(srsUri, SrsOutcomeKind.TransportError, null, result.Error ?? "no response"),
    };
}
