using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>A received request's transaction as the TU sees it (RFC 3261 §17.2): answer it through <see cref="RespondAsync"/>.</summary>
public sealed class ServerTransaction
{
    internal ServerTransaction(IncomingMessage incoming, SipRequest request)
    {
        Incoming = incoming;
        Request = request;
    }

    /// <summary>The request, with <c>received</c>/<c>rport</c> added to its top Via (RFC 3581).</summary>
    public SipRequest Request { get; }

    /// <summary>The request with its envelope (source address, arrival time).</summary>
    public IncomingMessage Incoming { get; }

    /// <summary>True once a final response was sent (by the TU or by the layer: 487 after CANCEL, 500 after a TU failure).</summary>
    public bool IsFinal => Machine.IsFinal;

    internal ServerTransactionMachine Machine { get; init; } = null!;

    /// <summary>
    /// Sends <paramref name="response"/> to the top Via's received/rport address and retransmits a final one as
    /// §17.2 requires (a 2xx to INVITE until its ACK, RFC 6026). Responses after the final one are ignored.
    /// </summary>
    public ValueTask RespondAsync(SipResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        cancellationToken.ThrowIfCancellationRequested();
        return Machine.RespondAsync(response);
    }
}
