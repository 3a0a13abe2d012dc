using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, amended by RFC 6026): sends 100 Trying at once,
/// retransmits a non-2xx final on Timer G until ACK or Timer H, and a 2xx likewise until its ACK or Timer L.
/// </summary>
internal sealed class ServerInviteTransaction : ServerTransactionMachine
{
    internal enum State { Proceeding, Completed, Confirmed, Accepted, Terminated }

    private readonly ITimer _timerG;
    private readonly ITimer _timerH;
    private readonly ITimer _timerI;
    private readonly ITimer _timerL;
    private TimeSpan _intervalG;
    private bool _ackedAccepted;

    public ServerInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop)
        : base(layer, key, request, hop)
    {
        _intervalG = layer.Options.T1;
        _timerG = CreateTimer(OnTimerG);
        _timerH = CreateTimer(OnTimerH);
        _timerI = CreateTimer(Terminate);
        _timerL = CreateTimer(Terminate);
    }

    public State Current { get; private set; } = State.Proceeding;

    public override bool IsFinal => Current != State.Proceeding;

    public override bool IsTerminated => Current == State.Terminated;

    /// <summary>Key of the 2xx ACK (a separate transaction): Call-ID and CSeq number.</summary>
    public string AckKey => TransactionLayer.AckKeyFor(Request.CallId, Request.CSeq?.Sequence);

    /// <summary>Only Proceeding takes responses from the TU (§17.2.1).</summary>
    protected override bool TakesResponses => Current == State.Proceeding;

    /// <summary>Resend the last provisional or non-2xx final; a retransmission is absorbed in Accepted (RFC 6026 §8.7).</summary>
    protected override bool ResendsOnRetransmission => Current is State.Proceeding or State.Completed;

    public ValueTask SendTryingAsync() => RespondAsync(SipResponse.CreateFor(Request, 100));

    /// <summary>An ACK matching this transaction's branch: the non-2xx final was received (§17.2.1 Confirmed).</summary>
    public void OnAck()
    {
        lock (Gate)
        {
            if (Current != State.Completed) return;
            Current = State.Confirmed;
            Stop(_timerG);
            Stop(_timerH);
            if (!Hop.IsReliable) Arm(_timerI, Layer.Options.T4);
        }
        if (Hop.IsReliable) Terminate(); // Timer I = 0 over reliable transports (§17.2.1)
    }

    /// <summary>The ACK for our 2xx arrived (its own transaction): stop retransmitting, stay Accepted until Timer L.</summary>
    public void OnAckForSuccess()
    {
        lock (Gate)
        {
            if (Current != State.Accepted) return;
            _ackedAccepted = true;
            Stop(_timerG);
        }
    }

    /// <summary>
    /// 300-699: Completed, Timer G at T1 over unreliable transports, Timer H at 64*T1 (§17.2.1). 2xx: Accepted,
    /// Timer G for all transports (the 2xx is retransmitted whatever the transport, §13.3.1.4) and Timer L at 64*T1 (RFC 6026).
    /// </summary>
    protected override void OnResponseFromTu(int statusCode)
    {
        if (statusCode >= 300)
        {
            Current = State.Completed;
            if (!Hop.IsReliable) Arm(_timerG, _intervalG);
            Arm(_timerH, Layer.Options.T1 * 64);
        }
        else if (statusCode >= 200)
        {
            Current = State.Accepted;
            Arm(_timerG, _intervalG);
            Arm(_timerL, Layer.Options.T1 * 64);
        }
    }

    protected override void EnterTerminated() => Current = State.Terminated;

    private void OnTimerG()
    {
        byte[]? bytes;
        lock (Gate)
        {
            if (Current is not (State.Completed or State.Accepted) || (Current == State.Accepted && _ackedAccepted)) return;
            _intervalG = _intervalG * 2 < Layer.Options.T2 ? _intervalG * 2 : Layer.Options.T2;
            Arm(_timerG, _intervalG);
            bytes = LastResponse;
        }
        if (bytes is not null) Send(bytes);
    }

    private void OnTimerH()
    {
        lock (Gate)
        {
            if (Current != State.Completed) return;
        }
        Log.TimedOut(Layer.Logger, SipMethods.Invite, Key, "H (no ACK)");
        Terminate();
        Layer.InvokeSafely(() => Layer.User.OnServerTransactionFailed(Request, "no ACK for the final response within Timer H (64*T1)"),
            nameof(ITransactionUser.OnServerTransactionFailed));
    }
}
