using System.Collections.Concurrent;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Load;

/// <summary>
/// The harness's transaction user for all its calls (RFC 3261 §12.2.2, UAS side of its own dialogs): finds the call by
/// Call-ID (a dictionary, so a thousand calls cost no scan), answers the gateway's BYE, OPTIONS and INFO with 200, a
/// re-INVITE with 488 (the media stays), anything outside a call with 481, and re-ACKs a retransmitted 2xx.
/// </summary>
internal sealed class CallerUser : ITransactionUser
{
    private readonly ConcurrentDictionary<string, LoadCall> _calls = new(StringComparer.Ordinal);

    /// <summary>The layer to re-send ACKs on; set once it exists (they refer to each other).</summary>
    public TransactionLayer? Layer { get; set; }

    /// <summary>Requests from the gateway that matched no call (a sign of calls the harness lost track of).</summary>
    public long StrayRequests => Interlocked.Read(ref _strayRequests);

    private long _strayRequests;

    /// <summary>Starts serving a call's in-dialog requests.</summary>
    public void Add(LoadCall call) => _calls[call.CallId] = call;

    /// <summary>Stops serving a call.</summary>
    public void Remove(LoadCall call) => _calls.TryRemove(call.CallId, out _);

    /// <inheritdoc />
    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var status = StatusFor(request, out var call);
        await transaction.RespondAsync(SipResponse.CreateFor(request, status), cancellationToken).ConfigureAwait(false);
        if (call is not null && status == 200 && request.Method == SipMethods.Bye)
        {
            call.RtpActive = false;
            call.EndedByGateway = true;
        }
    }

    /// <inheritdoc />
    public void OnAck(IncomingMessage ack)
    {
    }

    /// <inheritdoc />
    public void OnStrayResponse(IncomingMessage response)
    {
        if (response.Message is not SipResponse { IsSuccess: true } ok || ok.CSeq?.Method != SipMethods.Invite || Layer is null) return;
        if (ok.CallId is { } callId && _calls.TryGetValue(callId, out var call) && call.Ack is { } ack)
        {
            _ = Layer.SendAckAsync(ack, response.Remote).AsTask();
        }
    }

    private int StatusFor(SipRequest request, out LoadCall? call)
    {
        if (request.CallId is not { } callId || !_calls.TryGetValue(callId, out call) || call.Dialog is not { } dialog)
        {
            call = null;
            if (request.Method == SipMethods.Options) return 200;
            Interlocked.Increment(ref _strayRequests);
            return 481;
        }
        // RFC 3261 §12.2.2: a CSeq not above the last one seen is out of order.
        lock (call.Sync)
        {
            if (request.CSeq is not { } cseq || !dialog.TryAcceptRemoteSequence(cseq.Sequence)) return 500;
        }
        // The harness never changes its media, so a re-INVITE is refused (RFC 3261 §14.2) and the call goes on as it was.
        if (request.Method == SipMethods.Invite) return 488;
        return request.Method is SipMethods.Bye or SipMethods.Options or SipMethods.Info ? 200 : 405;
    }

    /// <inheritdoc />
    public void OnCancelled(ServerTransaction inviteTransaction)
    {
    }
}
