using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>
/// What both server machines share (RFC 3261 §17.2) and what <see cref="ServerTransaction"/> and the layer call:
/// responses from the TU are serialized, kept as the last response and sent; a retransmitted request is absorbed by
/// resending that last response. The INVITE and non-INVITE machines keep their own states and timers.
/// </summary>
internal abstract class ServerTransactionMachine : TransactionMachine
{
    protected ServerTransactionMachine(TransactionLayer layer, string key, SipRequest request, Hop hop)
        : base(layer, key, request, hop)
    {
    }

    /// <summary>True once a final response was sent (by the TU or by the layer).</summary>
    public abstract bool IsFinal { get; }

    /// <summary>The last response the TU passed down, serialized; read and written under <see cref="TransactionMachine.Gate"/>.</summary>
    protected byte[]? LastResponse { get; private set; }

    /// <summary>True in the states that take a response from the TU; read under <see cref="TransactionMachine.Gate"/>.</summary>
    protected abstract bool TakesResponses { get; }

    /// <summary>True in the states that answer a retransmitted request with the last response; read under <see cref="TransactionMachine.Gate"/>.</summary>
    protected abstract bool ResendsOnRetransmission { get; }

    /// <summary>Sends <paramref name="response"/> and moves the machine on; a response after the final one is logged and dropped.</summary>
    public ValueTask RespondAsync(SipResponse response)
    {
        byte[] bytes;
        lock (Gate)
        {
            if (!TakesResponses)
            {
                Log.LateResponse(Layer.Logger, Request.Method, Key);
                return ValueTask.CompletedTask;
            }
            bytes = SipSerializer.Serialize(response);
            LastResponse = bytes;
            OnResponseFromTu(response.StatusCode);
        }
        return new ValueTask(SendResponseAsync(bytes));
    }

    /// <summary>A retransmission of the request: resend the last response where the state says so, else absorb it silently.</summary>
    public void OnRetransmission()
    {
        byte[]? bytes;
        lock (Gate)
        {
            bytes = ResendsOnRetransmission ? LastResponse : null;
        }
        if (bytes is not null) Send(bytes);
    }

    /// <summary>The state change and timers for a response with <paramref name="statusCode"/>; called under <see cref="TransactionMachine.Gate"/>.</summary>
    protected abstract void OnResponseFromTu(int statusCode);

    /// <summary>Sends a response the TU passed down; the task ends when the transport took it (errors are logged, not thrown).</summary>
    protected virtual Task SendResponseAsync(byte[] bytes) => Layer.TrySendAsync(Hop, bytes);

    protected sealed override void OnTerminated() => Layer.Forget(this);
}
