using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6): Timer E retransmits (UDP only), F times out, K absorbs (0 on TCP/TLS).</summary>
internal sealed class ClientNonInviteTransaction
{
    internal enum State { Trying, Proceeding, Completed, Terminated }

    private readonly TransactionLayer _layer;
    private readonly byte[] _bytes;
    private readonly Hop _hop;
    private readonly Action<SipResponse>? _onProvisional;
    private readonly TaskCompletionSource<TransactionOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly ITimer _timerE;
    private readonly ITimer _timerF;
    private readonly ITimer _timerK;
    private TimeSpan _intervalE;

    public ClientNonInviteTransaction(TransactionLayer layer, string key, SipRequest request, Hop hop, Action<SipResponse>? onProvisional)
    {
        _layer = layer;
        Key = key;
        Request = request;
        _bytes = SipSerializer.Serialize(request);
        _hop = hop;
        _onProvisional = onProvisional;
        _intervalE = layer.Options.T1;
        _timerE = layer.CreateTimer(OnTimerE);
        _timerF = layer.CreateTimer(OnTimerF);
        _timerK = layer.CreateTimer(OnTimerK);
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public State Current { get; private set; } = State.Trying;

    public Task<TransactionOutcome> Outcome => _outcome.Task;

    public async Task StartAsync()
    {
        lock (_gate)
        {
            if (!_hop.IsReliable) _timerE.Change(_intervalE, Timeout.InfiniteTimeSpan);
            _timerF.Change(_layer.Options.T1 * 64, Timeout.InfiniteTimeSpan);
        }
        if (await _layer.SendOrErrorAsync(_hop, _bytes).ConfigureAwait(false) is { } error)
        {
            Finish(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, $"could not send {Request.Method} to {_hop}: {error}"));
        }
    }

    public void OnResponse(IncomingMessage incoming)
    {
        var response = (SipResponse)incoming.Message;
        var terminateNow = false;
        lock (_gate)
        {
            if (Current is State.Completed or State.Terminated) return;
            if (response.IsProvisional)
            {
                Current = State.Proceeding;
            }
            else
            {
                Current = State.Completed;
                _timerE.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timerF.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                if (_hop.IsReliable) terminateNow = true; // Timer K = 0 over reliable transports (§17.1.2.2)
                else _timerK.Change(_layer.Options.T4, Timeout.InfiniteTimeSpan);
            }
        }
        if (response.IsProvisional) _layer.InvokeSafely(() => _onProvisional?.Invoke(response), "onProvisional");
        else _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.Response, response, null));
        if (terminateNow) Terminate();
    }

    /// <summary>The caller gave up (its token was cancelled): stop retransmitting and forget the transaction.</summary>
    public void Abandon()
    {
        _outcome.TrySetCanceled();
        Terminate();
    }

    public void Terminate()
    {
        lock (_gate)
        {
            if (Current == State.Terminated) return;
            Current = State.Terminated;
        }
        _timerE.Dispose();
        _timerF.Dispose();
        _timerK.Dispose();
        _layer.Forget(this);
        _outcome.TrySetResult(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, "transaction layer stopped"));
    }

    private void OnTimerE()
    {
        lock (_gate)
        {
            if (Current is not (State.Trying or State.Proceeding)) return;
            _intervalE = Current == State.Trying ? Min(_intervalE * 2, _layer.Options.T2) : _layer.Options.T2;
            _timerE.Change(_intervalE, Timeout.InfiniteTimeSpan);
        }
        _ = _layer.TrySendAsync(_hop, _bytes);
    }

    private void OnTimerF()
    {
        lock (_gate)
        {
            if (Current is not (State.Trying or State.Proceeding)) return;
        }
        Log.TimedOut(_layer.Logger, Request.Method, Key, "F");
        Finish(new TransactionOutcome(TransactionOutcomeKind.Timeout, null, $"no final response to {Request.Method} within 64*T1 (Timer F)"));
    }

    private void OnTimerK() => Terminate();

    private void Finish(TransactionOutcome outcome)
    {
        _outcome.TrySetResult(outcome);
        Terminate();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
