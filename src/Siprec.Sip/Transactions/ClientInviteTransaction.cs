using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, with RFC 6026's Accepted state): retransmits on
/// Timer A, times out on Timer B, ACKs non-2xx finals itself, sends CANCEL when the caller gives up (§9.1).
/// </summary>
internal sealed class ClientInviteTransaction
{
    internal enum State { Calling, Proceeding, Completed, Accepted, Terminated }

    private readonly TransactionLayer _layer;
    private readonly byte[] _bytes;
    private readonly Hop _hop;
    private readonly Action<SipResponse>? _onProvisional;
    private readonly TaskCompletionSource<TransactionOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly ITimer _timerA;
    private readonly ITimer _timerB;
    private readonly ITimer _timerD;
    private readonly ITimer _timerM;
    private readonly ITimer _cancelGuard;
    private TimeSpan _intervalA;
    private byte[]? _ack;
    private bool _cancelRequested;
    private bool _cancelSent;

    public ClientInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop, Action<SipResponse>? onProvisional)
    {
        _layer = layer;
        Key = key;
        Request = request;
        _bytes = SipSerializer.Serialize(request);
        _hop = hop;
        _onProvisional = onProvisional;
        _intervalA = layer.Options.T1;
        _timerA = layer.CreateTimer(OnTimerA);
        _timerB = layer.CreateTimer(OnTimerB);
        _timerD = layer.CreateTimer(Terminate);
        _timerM = layer.CreateTimer(Terminate);
        _cancelGuard = layer.CreateTimer(OnCancelGuard);
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public State Current { get; private set; } = State.Calling;

    public Task<TransactionOutcome> Outcome => _outcome.Task;

    public async Task StartAsync()
    {
        lock (_gate)
        {
            if (!_hop.IsReliable) _timerA.Change(_intervalA, Timeout.InfiniteTimeSpan);
            _timerB.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
        }
        if (await _layer.SendOrErrorAsync(_hop, _bytes).ConfigureAwait(false) is { } error)
        {
            _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, $"could not send INVITE to {_hop}: {error}"));
            Terminate();
        }
    }

    /// <summary>The caller's token was cancelled: CANCEL now if a provisional arrived, else as soon as one does (§9.1).</summary>
    public void RequestCancel()
    {
        bool sendNow;
        lock (_gate)
        {
            if (Current is not (State.Calling or State.Proceeding) || _cancelRequested) return;
            _cancelRequested = true;
            sendNow = Current == State.Proceeding;
        }
        if (sendNow) SendCancel();
    }

    public void OnResponse(IncomingMessage incoming)
    {
        var response = (SipResponse)incoming.Message;
        State before;
        lock (_gate)
        {
            before = Current;
            switch (Current)
            {
                case State.Calling or State.Proceeding when response.IsProvisional:
                    Current = State.Proceeding;
                    _timerA.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    _timerB.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    break;
                case State.Calling or State.Proceeding when response.IsSuccess:
                    Current = State.Accepted;
                    StopCallingTimers();
                    _timerM.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
                    break;
                case State.Calling or State.Proceeding:
                    Current = State.Completed;
                    StopCallingTimers();
                    _ack = SipSerializer.Serialize(BuildAck(response));
                    if (!_hop.IsReliable) _timerD.Change(_layer.Options.TimerD, Timeout.InfiniteTimeSpan);
                    break;
            }
        }
        switch (before)
        {
            case State.Calling or State.Proceeding when response.IsProvisional:
                _layer.InvokeSafely(() => _onProvisional?.Invoke(response), "onProvisional");
                if (_cancelRequested && !_cancelSent) SendCancel();
                break;
            case State.Calling or State.Proceeding:
                if (_ack is not null && !response.IsSuccess) _ = _layer.TrySendAsync(_hop, _ack);
                _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.Response, response, null));
                if (_ack is not null && _hop.IsReliable) Terminate(); // Timer D = 0 over reliable transports (§17.1.1.2)
                break;
            case State.Completed when !response.IsProvisional && !response.IsSuccess:
                _ = _layer.TrySendAsync(_hop, _ack!);
                break;
            case State.Accepted when response.IsSuccess:
                _layer.NotifyStray(incoming);
                break;
        }
    }

    public void Terminate()
    {
        lock (_gate)
        {
            if (Current == State.Terminated) return;
            Current = State.Terminated;
        }
        _timerA.Dispose();
        _timerB.Dispose();
        _timerD.Dispose();
        _timerM.Dispose();
        _cancelGuard.Dispose();
        _layer.Forget(this);
        _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, "transaction layer stopped"));
    }

    private void StopCallingTimers()
    {
        _timerA.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timerB.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _cancelGuard.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void SendCancel()
    {
        lock (_gate)
        {
            if (_cancelSent) return;
            _cancelSent = true;
            _cancelGuard.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
        }
        _layer.StartCancel(BuildCancel(), _hop);
    }

    private void OnTimerA()
    {
        lock (_gate)
        {
            if (Current != State.Calling) return;
            _intervalA *= 2;
            _timerA.Change(_intervalA, Timeout.InfiniteTimeSpan);
        }
        _ = _layer.TrySendAsync(_hop, _bytes);
    }

    private void OnTimerB()
    {
        lock (_gate)
        {
            if (Current != State.Calling) return;
        }
        Log.TimedOut(_layer.Logger, SipMethods.Invite, Key, "B");
        _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.Timeout, null, "no response to INVITE within 64*T1 (Timer B)"));
        Terminate();
    }

    private void OnCancelGuard()
    {
        lock (_gate)
        {
            if (Current is not (State.Calling or State.Proceeding)) return;
        }
        Log.TimedOut(_layer.Logger, SipMethods.Invite, Key, "CANCEL 64*T1");
        _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.Timeout, null, "no final response within 64*T1 after CANCEL (RFC 3261 §9.1)"));
        Terminate();
    }

    /// <summary>ACK for a non-2xx final (§17.1.1.3): same Request-URI, Call-ID, From, CSeq number, top Via and Route; To from the response.</summary>
    private SipRequest BuildAck(SipResponse response)
    {
        var headers = new List<SipHeader>();
        headers.Add(new SipHeader("Via", Request.Vias[0].ToString()));
        foreach (var route in Request.GetHeaderValues("Route")) headers.Add(new SipHeader("Route", route));
        headers.Add(new SipHeader("Max-Forwards", "70"));
        headers.Add(new SipHeader("From", Request.GetHeader("From")!));
        headers.Add(new SipHeader("To", response.GetHeader("To") ?? Request.GetHeader("To")!));
        headers.Add(new SipHeader("Call-ID", Request.CallId!));
        headers.Add(new SipHeader("CSeq", new CSeq(Request.CSeq!.Value.Sequence, SipMethods.Ack).ToString()));
        return new SipRequest(SipMethods.Ack, Request.RequestUri) { Headers = headers };
    }

    /// <summary>CANCEL (§9.1): same Request-URI, Call-ID, To, From, CSeq number, top Via (same branch) and Route.</summary>
    private SipRequest BuildCancel()
    {
        var headers = new List<SipHeader>();
        headers.Add(new SipHeader("Via", Request.Vias[0].ToString()));
        foreach (var route in Request.GetHeaderValues("Route")) headers.Add(new SipHeader("Route", route));
        headers.Add(new SipHeader("Max-Forwards", "70"));
        headers.Add(new SipHeader("From", Request.GetHeader("From")!));
        headers.Add(new SipHeader("To", Request.GetHeader("To")!));
        headers.Add(new SipHeader("Call-ID", Request.CallId!));
        headers.Add(new SipHeader("CSeq", new CSeq(Request.CSeq!.Value.Sequence, SipMethods.Cancel).ToString()));
        return new SipRequest(SipMethods.Cancel, Request.RequestUri) { Headers = headers };
    }
}
