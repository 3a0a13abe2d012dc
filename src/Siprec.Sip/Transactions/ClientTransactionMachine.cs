using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The plumbing both client machines share (RFC 3261 §17.1): the serialized request, the first send and its
/// transport error (§17.1.4), provisional responses to the caller, and the outcome as a value. The INVITE and
/// non-INVITE machines keep their own states and timers.
/// </summary>
internal abstract class ClientTransactionMachine : TransactionMachine
{
    private readonly byte[] _bytes;
    private readonly Action<SipResponse>? _onProvisional;
    private readonly TaskCompletionSource<TransactionOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected ClientTransactionMachine(TransactionLayer layer, string key, SipRequest request, Hop hop, Action<SipResponse>? onProvisional)
        : base(layer, key, request, hop)
    {
        _bytes = SipSerializer.Serialize(request);
        _onProvisional = onProvisional;
    }

    /// <summary>The final response, a timeout or a transport error (also when the layer stops first); cancelled when a non-INVITE caller gives up.</summary>
    public Task<TransactionOutcome> Outcome => _outcome.Task;

    /// <summary>Arms the machine's first timers, then sends the request; a failed send ends the transaction (§17.1.4).</summary>
    public async Task StartAsync()
    {
        lock (Gate)
        {
            StartTimers();
        }
        if (await Layer.SendOrErrorAsync(Hop, _bytes).ConfigureAwait(false) is { } error)
        {
            Finish(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, $"could not send {Request.Method} to {Hop}: {error}"));
        }
    }

    /// <summary>A response whose branch and CSeq method match this transaction (§17.1.3).</summary>
    public abstract void OnResponse(IncomingMessage incoming);

    /// <summary>The caller's token was cancelled.</summary>
    public abstract void OnCallerCancelled();

    /// <summary>Arms the retransmit timer (unreliable transports only) and the timeout timer; called under <see cref="TransactionMachine.Gate"/>.</summary>
    protected abstract void StartTimers();

    /// <summary>
    /// Sends the request again (Timer A or E) without waiting; a failed send ends the transaction with a transport
    /// error at once rather than at Timer B or F (§17.1.4: the TU SHOULD be told and the transaction terminated).
    /// </summary>
    protected void Retransmit() => _ = RetransmitAsync();

    private async Task RetransmitAsync()
    {
        if (await Layer.SendOrErrorAsync(Hop, _bytes).ConfigureAwait(false) is { } error && !_outcome.Task.IsCompleted)
        {
            Finish(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, $"could not resend {Request.Method} to {Hop}: {error}"));
        }
    }

    /// <summary>Hands a provisional response to the caller; an exception there is logged, not thrown.</summary>
    protected void DeliverProvisional(SipResponse response) => Layer.InvokeSafely(() => _onProvisional?.Invoke(response), "onProvisional");

    /// <summary>Completes <see cref="Outcome"/> with a final response; the machine stays alive to absorb retransmissions.</summary>
    protected void DeliverFinal(SipResponse response) => _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.Response, response, null));

    /// <summary>A timeout timer fired (B, F, or the 64*T1 guard after CANCEL): logs, reports a timeout and terminates.</summary>
    protected void TimeOut(string timer, string error)
    {
        Log.TimedOut(Layer.Logger, Request.Method, Key, timer);
        Finish(new TransactionOutcome(TransactionOutcomeKind.Timeout, null, error));
    }

    /// <summary>The caller gave up: <see cref="Outcome"/> is cancelled and the transaction ends.</summary>
    protected void Abandon()
    {
        _outcome.TrySetCanceled();
        Terminate();
    }

    protected sealed override void OnTerminated()
    {
        Layer.Forget(this);
        _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, "transaction layer stopped"));
    }

    private void Finish(TransactionOutcome outcome)
    {
        _outcome.TrySetResult(outcome);
        Terminate();
    }
}
