using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Cli.Demo.Caller;

/// <summary>
/// The demo caller's transaction user (RFC 3261 §12.2.2 UAS side of its own calls): answers the gateway's BYE with
/// 200, OPTIONS and INFO with 200, a re-INVITE with 488 (the media stays as it is), anything outside a call with
/// 481, and re-ACKs a retransmitted 2xx (§13.2.2.4).
/// </summary>
internal sealed class DemoCallerUser : ITransactionUser
{
    private readonly ConcurrentDictionary<DemoCallLeg, byte> _legs = new();
    private readonly ILogger _logger;
    private TransactionLayer? _layer;

    /// <param name="logger">Logger.</param>
    public DemoCallerUser(ILogger logger) => _logger = logger;

    /// <summary>The layer to re-send ACKs on; set once it exists (they refer to each other).</summary>
    public TransactionLayer Layer
    {
        get => _layer ?? throw new InvalidOperationException("no transaction layer yet");
        set => _layer = value;
    }

    /// <summary>Starts serving a call's in-dialog requests.</summary>
    public void Add(DemoCallLeg leg) => _legs[leg] = 0;

    /// <summary>Stops serving a call.</summary>
    public void Remove(DemoCallLeg leg) => _legs.TryRemove(leg, out _);

    /// <inheritdoc />
    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var leg = Find(request);
        int status;
        if (leg is null)
        {
            status = request.Method == SipMethods.Options ? 200 : 481;
            Log.UnknownRequest(_logger, request.Method, status);
        }
        else
        {
            bool inOrder;
            lock (leg.Sync)
            {
                inOrder = request.CSeq is { } cseq && leg.Dialog.TryAcceptRemoteSequence(cseq.Sequence);
            }
            status = !inOrder ? 500 : request.Method switch
            {
                SipMethods.Bye or SipMethods.Options or SipMethods.Info => 200,
                SipMethods.Invite => 488,
                _ => 405,
            };
        }
        await transaction.RespondAsync(SipResponse.CreateFor(request, status), cancellationToken).ConfigureAwait(false);
        if (leg is not null && status == 200 && request.Method == SipMethods.Bye)
        {
            leg.RemoteBye.TrySetResult();
        }
    }

    /// <inheritdoc />
    public void OnAck(IncomingMessage ack)
    {
    }

    /// <inheritdoc />
    public void OnStrayResponse(IncomingMessage response)
    {
        if (response.Message is not SipResponse { IsSuccess: true } ok || ok.CSeq?.Method != SipMethods.Invite)
        {
            return;
        }
        var leg = Find(ok);
        if (leg is not null)
        {
            _ = Layer.SendAckAsync(leg.Ack, leg.Destination).AsTask();
        }
    }

    /// <inheritdoc />
    public void OnCancelled(ServerTransaction inviteTransaction)
    {
    }

    private DemoCallLeg? Find(SipMessage message)
    {
        foreach (var leg in _legs.Keys)
        {
            if (leg.Dialog.Matches(message))
            {
                return leg;
            }
        }
        return null;
    }
}
