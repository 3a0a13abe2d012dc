using System.Net;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): absorbs retransmissions by resending the last response.</summary>
internal sealed class ServerNonInviteTransaction : IServerTransactionMachine
{
    internal enum State { Trying, Proceeding, Completed, Terminated }

    private readonly TransactionLayer _layer;
    private readonly IPEndPoint _destination;
    private readonly object _gate = new();
    private readonly ITimer _timerJ;
    private byte[]? _lastResponse;

    public ServerNonInviteTransaction(TransactionLayer layer, string key, SipRequest request, IPEndPoint destination)
    {
        _layer = layer;
        Key = key;
        Request = request;
        _destination = destination;
        _timerJ = layer.CreateTimer(Terminate);
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public State Current { get; private set; } = State.Trying;

    public bool IsFinal => Current is State.Completed or State.Terminated && _lastResponse is not null;

    public bool IsTerminated => Current == State.Terminated;

    public ValueTask RespondAsync(SipResponse response)
    {
        byte[] bytes;
        lock (_gate)
        {
            if (Current is State.Completed or State.Terminated)
            {
                Log.LateResponse(_layer.Logger, Request.Method, Key);
                return ValueTask.CompletedTask;
            }
            bytes = SipSerializer.Serialize(response);
            _lastResponse = bytes;
            if (response.StatusCode >= 200)
            {
                Current = State.Completed;
                _timerJ.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
            }
            else Current = State.Proceeding;
        }
        return new ValueTask(_layer.TrySendAsync(bytes, _destination));
    }

    public void OnRetransmission()
    {
        byte[]? bytes;
        lock (_gate)
        {
            bytes = Current is State.Proceeding or State.Completed ? _lastResponse : null;
        }
        if (bytes is not null) _ = _layer.TrySendAsync(bytes, _destination);
    }

    public void Terminate()
    {
        lock (_gate)
        {
            if (Current == State.Terminated) return;
            Current = State.Terminated;
        }
        _timerJ.Dispose();
        _layer.Forget(this);
    }
}
