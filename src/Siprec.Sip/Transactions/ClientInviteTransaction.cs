using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, with RFC 6026's Accepted state): retransmits on
/// Timer A, times out on Timer B, ACKs non-2xx finals itself, sends CANCEL when the caller gives up (§9.1).
/// </summary>
internal sealed class ClientInviteTransaction : ClientTransactionMachine
{
    internal enum State { Calling, Proceeding, Completed, Accepted, Terminated }

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
        : base(layer, key, request, hop, onProvisional)
    {
        _intervalA = layer.Options.T1;
        _timerA = CreateTimer(OnTimerA);
        _timerB = CreateTimer(OnTimerB);
        _timerD = CreateTimer(Terminate);
        _timerM = CreateTimer(Terminate);
        _cancelGuard = CreateTimer(OnCancelGuard);
    }

    public State Current { get; private set; } = State.Calling;

    public override bool IsTerminated => Current == State.Terminated;

    /// <summary>
    /// CANCEL now if a provisional arrived, else as soon as one does (§9.1). Before a provisional the INVITE is also no
    /// longer retransmitted: the caller gave up on it, so it should not reach the server now; Timer B still ends the
    /// transaction, and a late 2xx still reaches the caller (to ACK and BYE).
    /// </summary>
    public override void OnCallerCancelled()
    {
        bool sendNow;
        lock (Gate)
        {
            if (Current is not (State.Calling or State.Proceeding) || _cancelRequested) return;
            _cancelRequested = true;
            sendNow = Current == State.Proceeding;
            if (!sendNow) Stop(_timerA);
        }
        if (sendNow) SendCancel();
    }

    public override void OnResponse(IncomingMessage incoming)
    {
        var response = (SipResponse)incoming.Message;
        State before;
        lock (Gate)
        {
            before = Current;
            switch (Current)
            {
                case State.Calling or State.Proceeding when response.IsProvisional:
                    Current = State.Proceeding;
                    Stop(_timerA);
                    Stop(_timerB);
                    break;
                case State.Calling or State.Proceeding when response.IsSuccess:
                    Current = State.Accepted;
                    StopCallingTimers();
                    Arm(_timerM, Layer.Options.T1 * 64);
                    break;
                case State.Calling or State.Proceeding:
                    Current = State.Completed;
                    StopCallingTimers();
                    _ack = SipSerializer.Serialize(BuildAck(response));
                    if (!Hop.IsReliable) Arm(_timerD, Layer.Options.TimerD);
                    break;
            }
        }
        switch (before)
        {
            case State.Calling or State.Proceeding when response.IsProvisional:
                DeliverProvisional(response);
                if (_cancelRequested && !_cancelSent) SendCancel();
                break;
            case State.Calling or State.Proceeding:
                if (_ack is not null && !response.IsSuccess) Send(_ack);
                DeliverFinal(response);
                if (_ack is not null && Hop.IsReliable) Terminate(); // Timer D = 0 over reliable transports (§17.1.1.2)
                break;
            case State.Completed when !response.IsProvisional && !response.IsSuccess:
                Send(_ack!);
                break;
            case State.Accepted when response.IsSuccess:
                Layer.NotifyStray(incoming);
                break;
        }
    }

    /// <summary>Timer A at T1 over unreliable transports only, Timer B at 64*T1 for all (§17.1.1.2).</summary>
    protected override void StartTimers()
    {
        if (!Hop.IsReliable) Arm(_timerA, _intervalA);
        Arm(_timerB, Layer.Options.T1 * 64);
    }

    protected override void EnterTerminated() => Current = State.Terminated;

    private void StopCallingTimers()
    {
        Stop(_timerA);
        Stop(_timerB);
        Stop(_cancelGuard);
    }

    private void SendCancel()
    {
        lock (Gate)
        {
            if (_cancelSent) return;
            _cancelSent = true;
            Arm(_cancelGuard, Layer.Options.T1 * 64);
        }
        Layer.StartCancel(BuildCancel(), Hop);
    }

    private void OnTimerA()
    {
        lock (Gate)
        {
            if (Current != State.Calling || _cancelRequested) return;
            _intervalA *= 2;
            Arm(_timerA, _intervalA);
        }
        Retransmit();
    }

    private void OnTimerB()
    {
        lock (Gate)
        {
            if (Current != State.Calling) return;
        }
        TimeOut("B", "no response to INVITE within 64*T1 (Timer B)");
    }

    private void OnCancelGuard()
    {
        lock (Gate)
        {
            if (Current is not (State.Calling or State.Proceeding)) return;
        }
        TimeOut("CANCEL 64*T1", "no final response within 64*T1 after CANCEL (RFC 3261 §9.1)");
    }

    /// <summary>ACK for a non-2xx final (§17.1.1.3): To from the response, the rest as in <see cref="BuildFromInvite"/>.</summary>
    private SipRequest BuildAck(SipResponse response) =>
        BuildFromInvite(SipMethods.Ack, response.GetHeader("To") ?? Request.GetHeader("To")!);

    /// <summary>CANCEL (§9.1): To from the INVITE, the rest as in <see cref="BuildFromInvite"/>.</summary>
    private SipRequest BuildCancel() => BuildFromInvite(SipMethods.Cancel, Request.GetHeader("To")!);

    /// <summary>The INVITE's Request-URI, top Via (same branch), Route, From, Call-ID and CSeq number, with <paramref name="method"/>.</summary>
    private SipRequest BuildFromInvite(string method, string to)
    {
        var headers = new List<SipHeader>();
        headers.Add(new SipHeader("Via", Request.Vias[0].ToString()));
        foreach (var route in Request.GetHeaderValues("Route")) headers.Add(new SipHeader("Route", route));
        headers.Add(new SipHeader("Max-Forwards", "70"));
        headers.Add(new SipHeader("From", Request.GetHeader("From")!));
        headers.Add(new SipHeader("To", to));
        headers.Add(new SipHeader("Call-ID", Request.CallId!));
        headers.Add(new SipHeader("CSeq", new CSeq(Request.CSeq!.Value.Sequence, method).ToString()));
        return new SipRequest(method, Request.RequestUri) { Headers = headers };
    }
}
