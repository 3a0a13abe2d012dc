using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): absorbs retransmissions by resending the last response until Timer J (0 on TCP/TLS).</summary>
internal sealed class ServerNonInviteTransaction : ServerTransactionMachine
{
    internal enum State { Trying, Proceeding, Completed, Terminated }

    private readonly ITimer _timerJ;

    public ServerNonInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop)
        : base(layer, key, request, hop)
    {
        _timerJ = CreateTimer(Terminate);
    }

    public State Current { get; private set; } = State.Trying;

    public override bool IsFinal => Current is State.Completed or State.Terminated && LastResponse is not null;

    public override bool IsTerminated => Current == State.Terminated;

    /// <summary>Trying and Proceeding take responses; further finals are discarded in Completed (§17.2.2).</summary>
    protected override bool TakesResponses => Current is not (State.Completed or State.Terminated);

    /// <summary>Retransmissions are discarded in Trying, answered with the last response in Proceeding and Completed (§17.2.2).</summary>
    protected override bool ResendsOnRetransmission => Current is State.Proceeding or State.Completed;

    /// <summary>A final moves to Completed with Timer J at 64*T1 over unreliable transports (§17.2.2); a provisional to Proceeding.</summary>
    protected override void OnResponseFromTu(int statusCode)
    {
        if (statusCode >= 200)
        {
            Current = State.Completed;
            if (!Hop.IsReliable) Arm(_timerJ, Layer.Options.T1 * 64);
        }
        else Current = State.Proceeding;
    }

    protected override async Task SendResponseAsync(byte[] bytes)
    {
        await base.SendResponseAsync(bytes).ConfigureAwait(false);
        if (Hop.IsReliable && Current == State.Completed) Terminate(); // Timer J = 0 over reliable transports (§17.2.2)
    }

    protected override void EnterTerminated() => Current = State.Terminated;
}
