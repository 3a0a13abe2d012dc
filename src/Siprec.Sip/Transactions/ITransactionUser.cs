using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The layer above transactions (RFC 3261 §17, "TU"): dialogs and applications. Duty: every request handed
/// to <see cref="OnRequestAsync"/> gets exactly one final response through <see cref="ServerTransaction.RespondAsync"/>.
/// Callbacks other than <see cref="OnRequestAsync"/> run on the receive path and must return quickly.
/// </summary>
public interface ITransactionUser
{
    /// <summary>A new request (not ACK, not a retransmission, not a CANCEL). An exception here is logged and answered 500 if no final response was sent.</summary>
    Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken);

    /// <summary>An ACK for a 2xx (a transaction of its own, RFC 3261 §13.2.2.4); the layer already stopped retransmitting the 2xx.</summary>
    void OnAck(IncomingMessage ack);

    /// <summary>A response no client transaction wants, e.g. a retransmitted 2xx to INVITE (re-send the ACK).</summary>
    void OnStrayResponse(IncomingMessage response);

    /// <summary>A CANCEL matched a pending INVITE; the layer already answered 200 to the CANCEL and 487 to the INVITE.</summary>
    void OnCancelled(ServerTransaction inviteTransaction);

    /// <summary>
    /// A server transaction failed after its final response: Timer H fired with no ACK for a 300-699 answer to
    /// <paramref name="request"/> (RFC 3261 §17.2.1 requires telling the TU). The layer has logged it; by default nothing else happens.
    /// </summary>
    /// <param name="request">The INVITE whose final response was never acknowledged.</param>
    /// <param name="reason">Why, for logs.</param>
    void OnServerTransactionFailed(SipRequest request, string reason)
    {
    }
}
