using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6): Timer E retransmits (UDP only), F times out, K absorbs (0 on TCP/TLS).</summary>
internal sealed class ClientNonInviteTransaction : ClientTransactionMachine
{
    internal enum State { Trying, Proceeding, Completed, Terminated }

    private readonly ITimer _timerE;
    private readonly ITimer _timerF;
    private readonly ITimer _timerK;
    private TimeSpan _intervalE;

    public ClientNonInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop, Action<SipResponse>? onProvisional)
        : base(layer, key, request, hop, onProvisional)
    {
        _intervalE = layer.Options.T1;
        _timerE = CreateTimer(OnTimerE);
        _timerF = CreateTimer(OnTimerF);
        _timerK = CreateTimer(Terminate);
    }

    public State Current { get; private set; } = State.Trying;

    public override bool IsTerminated => Current == State.Terminated;

    public override void OnResponse(IncomingMessage incoming)
    {
        var response = (SipResponse)incoming.Message;
        var terminateNow = false;
        lock (Gate)
        {
            if (Current is State.Completed or State.Terminated) return;
            if (response.IsProvisional)
            {
                Current = State.Proceeding;
            }
            else
            {
                Current = State.Completed;
                Stop(_timerE);
                Stop(_timerF);
                if (Hop.IsReliable) terminateNow = true; // Timer K = 0 over reliable transports (§17.1.2.2)
                else Arm(_timerK, Layer.Options.T4);
            }
        }
        if (response.IsProvisional) DeliverProvisional(response);
        else DeliverFinal(response);
        if (terminateNow) Terminate();
    }

    /// <summary>No CANCEL for non-INVITE (§9.1): stop retransmitting, forget the transaction, cancel the outcome.</summary>
    public override void OnCallerCancelled() => Abandon();

    /// <summary>Timer E at T1 over unreliable transports only, Timer F at 64*T1 for all (§17.1.2.2).</summary>
    protected override void StartTimers()
    {
        if (!Hop.IsReliable) Arm(_timerE, _intervalE);
        Arm(_timerF, Layer.Options.T1 * 64);
    }

    protected override void EnterTerminated() => Current = State.Terminated;

    private void OnTimerE()
    {
        lock (Gate)
        {
            if (Current is not (State.Trying or State.Proceeding)) return;
            _intervalE = Current == State.Trying ? Min(_intervalE * 2, Layer.Options.T2) : Layer.Options.T2;
            Arm(_timerE, _intervalE);
        }
        Retransmit();
    }

    private void OnTimerF()
    {
        lock (Gate)
        {
            if (Current is not (State.Trying or State.Proceeding)) return;
        }
        TimeOut("F", $"no final response to {Request.Method} within 64*T1 (Timer F)");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
