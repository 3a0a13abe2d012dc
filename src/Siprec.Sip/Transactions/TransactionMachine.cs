using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>
/// What every RFC 3261 §17 state machine shares: its key, request and next hop, the lock its state changes under,
/// its timers on the layer's clock, and termination. The states and Timers A..M stay in the four machine classes.
/// </summary>
internal abstract class TransactionMachine
{
    private readonly List<ITimer> _timers = new(capacity: 5);

    protected TransactionMachine(TransactionLayer layer, string key, SipRequest request, Hop hop)
    {
        Layer = layer;
        Key = key;
        Request = request;
        Hop = hop;
    }

    /// <summary>The layer's key for this transaction (§17.1.3 for clients, §17.2.3 for servers).</summary>
    public string Key { get; }

    /// <summary>The request that created the transaction, as sent (client) or received (server).</summary>
    public SipRequest Request { get; }

    /// <summary>True once the machine is in its Terminated state.</summary>
    public abstract bool IsTerminated { get; }

    protected TransactionLayer Layer { get; }

    protected Hop Hop { get; }

    /// <summary>Guards the state and timer changes; nothing is sent or called back while it is held.</summary>
    protected object Gate { get; } = new();

    /// <summary>Moves to Terminated once: disposes every timer, then <see cref="OnTerminated"/> unregisters.</summary>
    public void Terminate()
    {
        lock (Gate)
        {
            if (IsTerminated) return;
            EnterTerminated();
        }
        foreach (var timer in _timers) timer.Dispose();
        OnTerminated();
    }

    /// <summary>Sets the machine's own Terminated state; called under <see cref="Gate"/>.</summary>
    protected abstract void EnterTerminated();

    /// <summary>After termination, outside the lock: tell the layer to forget the machine (and, for clients, settle the outcome).</summary>
    protected abstract void OnTerminated();

    /// <summary>A stopped one-shot timer on the layer's clock; disposed on termination.</summary>
    protected ITimer CreateTimer(Action onFire)
    {
        var timer = Layer.CreateTimer(onFire);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Fires <paramref name="timer"/> once after <paramref name="due"/>; every §17 timer is one-shot and re-armed by its handler.</summary>
    protected static void Arm(ITimer timer, TimeSpan due) => timer.Change(due, Timeout.InfiniteTimeSpan);

    protected static void Stop(ITimer timer) => timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>Sends on the hop without waiting (retransmissions, ACKs, resent responses); a failure is logged by the layer, never thrown.</summary>
    protected void Send(byte[] bytes) => _ = Layer.TrySendAsync(Hop, bytes);
}
