using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>RFC 3263 §4.3 failover: the next located target on a transport error, a timeout or a 503.</summary>
public sealed partial class TransactionLayer
{
    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="targets"/> in order (as <see cref="Location.SipServerLocator"/>
    /// returned them), each in a new client transaction with a new branch. Moves on after a transport error, a
    /// timeout (Timer B/F) or a 503 (RFC 3263 §4.3); returns the first other outcome, or the last one when every
    /// target failed. A cancelled INVITE is not retried elsewhere.
    /// </summary>
    /// <param name="request">The request, without a Via (the layer adds one per attempt).</param>
    /// <param name="targets">At least one target.</param>
    /// <param name="onProvisional">Called for each provisional response of the attempt in progress.</param>
    /// <param name="cancellationToken">Cancels as in <see cref="SendRequestAsync(SipRequest, SipTarget, Action{SipResponse}?, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentException">No targets, or the request is an ACK or lacks Call-ID/CSeq/From/To.</exception>
    public async Task<TransactionOutcome> SendRequestAsync(SipRequest request, IReadOnlyList<SipTarget> targets,
        Action<SipResponse>? onProvisional = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) throw new ArgumentException("at least one target is needed", nameof(targets));
        TransactionOutcome? outcome = null;
        for (var i = 0; i < targets.Count; i++)
        {
            outcome = await SendRequestAsync(request, targets[i], onProvisional, cancellationToken).ConfigureAwait(false);
            var retry = outcome.Kind is TransactionOutcomeKind.TransportError or TransactionOutcomeKind.Timeout
                || outcome.Response?.StatusCode == 503;
            if (!retry || cancellationToken.IsCancellationRequested) return outcome;
            if (i + 1 < targets.Count)
            {
                Log.FailingOver(Logger, request.Method, targets[i].ToString(), outcome.Error ?? outcome.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    targets[i + 1].ToString());
            }
        }
        return outcome!;
    }
}
