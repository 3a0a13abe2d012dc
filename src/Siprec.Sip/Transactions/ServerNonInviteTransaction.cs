using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): absorbs retransmissions by resending the last response until Timer J (0 on TCP/TLS).</summary>
internal sealed class ServerNonInviteTransaction : IServerTransactionMachine
{
    internal enum State { Trying, Proceeding, Completed, Terminated }

    private readonly TransactionLayer _layer;
    private readonly Hop _hop;
    private readonly object _gate = new();
    private readonly ITimer _timerJ;
    private byte[]? _lastResponse;

    public ServerNonInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop)
    {
        _layer = layer;
        Key = key;
        Request = request;
        _hop = hop;
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
                if (!_hop.IsReliable) _timerJ.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
            }
            else Current = State.Proceeding;
        }
        return new ValueTask(SendAsync(bytes));
    }

    private async Task SendAsync(byte[] bytes)
    {
        await _layer.TrySendAsync(_hop, bytes).ConfigureAwait(false);
        if (_hop.IsReliable && Current == State.Completed) Terminate(); // Timer J = 0 over reliable transports (§17.2.2)
    }

    public void OnRetransmission()
    {
        byte[]? bytes;
        lock (_gate)
        {
            bytes = Current is State.Proceeding or State.Completed ? _lastResponse : null;
        }
        if (bytes is not null) _ = _layer.TrySendAsync(_hop, bytes);
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
