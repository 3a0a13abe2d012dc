using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, amended by RFC 6026): sends 100 Trying at once,
/// retransmits a non-2xx final on Timer G until ACK or Timer H, and a 2xx likewise until its ACK or Timer L.
/// </summary>
internal sealed class ServerInviteTransaction : IServerTransactionMachine
{
    internal enum State { Proceeding, Completed, Confirmed, Accepted, Terminated }

    private readonly TransactionLayer _layer;
    private readonly Hop _hop;
    private readonly object _gate = new();
    private readonly ITimer _timerG;
    private readonly ITimer _timerH;
    private readonly ITimer _timerI;
    private readonly ITimer _timerL;
    private TimeSpan _intervalG;
    private byte[]? _lastResponse;
    private bool _ackedAccepted;

    public ServerInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop)
    {
        _layer = layer;
        Key = key;
        Request = request;
        _hop = hop;
        _intervalG = layer.Options.T1;
        _timerG = layer.CreateTimer(OnTimerG);
        _timerH = layer.CreateTimer(OnTimerH);
        _timerI = layer.CreateTimer(Terminate);
        _timerL = layer.CreateTimer(Terminate);
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public State Current { get; private set; } = State.Proceeding;

    public bool IsFinal => Current != State.Proceeding;

    public bool IsTerminated => Current == State.Terminated;

    /// <summary>Key of the 2xx ACK (a separate transaction): Call-ID and CSeq number.</summary>
    public string AckKey => TransactionLayer.AckKeyFor(Request.CallId, Request.CSeq?.Sequence);

    public ValueTask SendTryingAsync() => RespondAsync(SipResponse.CreateFor(Request, 100));

    public ValueTask RespondAsync(SipResponse response)
    {
        byte[] bytes;
        lock (_gate)
        {
            if (Current != State.Proceeding)
            {
                Log.LateResponse(_layer.Logger, Request.Method, Key);
                return ValueTask.CompletedTask;
            }
            bytes = SipSerializer.Serialize(response);
            _lastResponse = bytes;
            if (response.StatusCode >= 300)
            {
                Current = State.Completed;
                if (!_hop.IsReliable) _timerG.Change(_intervalG, Timeout.InfiniteTimeSpan);
                _timerH.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
            }
            else if (response.StatusCode >= 200)
            {
                Current = State.Accepted;
                _timerG.Change(_intervalG, Timeout.InfiniteTimeSpan);
                _timerL.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
            }
        }
        return new ValueTask(_layer.TrySendAsync(_hop, bytes));
    }

    /// <summary>A retransmitted INVITE: resend the last provisional or non-2xx final; absorbed in Accepted (RFC 6026 §8.7).</summary>
    public void OnRetransmission()
    {
        byte[]? bytes;
        lock (_gate)
        {
            bytes = Current is State.Proceeding or State.Completed ? _lastResponse : null;
        }
        if (bytes is not null) _ = _layer.TrySendAsync(_hop, bytes);
    }

    /// <summary>An ACK matching this transaction's branch: the non-2xx final was received (§17.2.1 Confirmed).</summary>
    public void OnAck()
    {
        lock (_gate)
        {
            if (Current != State.Completed) return;
            Current = State.Confirmed;
            _timerG.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timerH.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (!_hop.IsReliable) _timerI.Change(_layer.Options.T4, Timeout.InfiniteTimeSpan);
        }
        if (_hop.IsReliable) Terminate(); // Timer I = 0 over reliable transports (§17.2.1)
    }

    /// <summary>The ACK for our 2xx arrived (its own transaction): stop retransmitting, stay Accepted until Timer L.</summary>
    public void OnAckForSuccess()
    {
        lock (_gate)
        {
            if (Current != State.Accepted) return;
            _ackedAccepted = true;
            _timerG.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Terminate()
    {
        lock (_gate)
        {
            if (Current == State.Terminated) return;
            Current = State.Terminated;
        }
        _timerG.Dispose();
        _timerH.Dispose();
        _timerI.Dispose();
        _timerL.Dispose();
        _layer.Forget(this);
    }

    private void OnTimerG()
    {
        byte[]? bytes;
        lock (_gate)
        {
            if (Current is not (State.Completed or State.Accepted) || (Current == State.Accepted && _ackedAccepted)) return;
            _intervalG = _intervalG * 2 < _layer.Options.T2 ? _intervalG * 2 : _layer.Options.T2;
            _timerG.Change(_intervalG, Timeout.InfiniteTimeSpan);
            bytes = _lastResponse;
        }
        if (bytes is not null) _ = _layer.TrySendAsync(_hop, bytes);
    }

    private void OnTimerH()
    {
        lock (_gate)
        {
            if (Current != State.Completed) return;
        }
        Log.TimedOut(_layer.Logger, SipMethods.Invite, Key, "H (no ACK)");
        Terminate();
    }
}
