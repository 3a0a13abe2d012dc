using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Testing.Srs;

/// <summary>What the fake received, and bounded waits for it (no polling: every recorded message wakes the waiters).</summary>
public sealed partial class FakeSrs
{
    private readonly object _gate = new();
    private readonly List<SipRequest> _requests = [];
    private readonly List<SipRequest> _acks = [];
    private readonly List<ServerTransaction> _cancelled = [];
    private readonly Dictionary<int, (int? StatusCode, (string Name, string Value)[] Headers)> _scripted = [];
    private int _inDialogOffers;
    private int? _optionsAnswer = 200;
    private bool _byeAnswered = true;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every request received (ACK and CANCEL excepted), in arrival order; a snapshot.</summary>
    public IReadOnlyList<SipRequest> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    /// <summary>Every ACK received, in arrival order; a snapshot.</summary>
    public IReadOnlyList<SipRequest> Acks
    {
        get { lock (_gate) return _acks.ToArray(); }
    }

    /// <summary>How many initial INVITEs the SRC cancelled (RFC 3261 §9.2).</summary>
    public int CancelledCount
    {
        get { lock (_gate) return _cancelled.Count; }
    }

    /// <summary>Initial (out-of-dialog) INVITEs received, challenged and rejected ones included.</summary>
    public int Invites => Requests.Count(r => r.Method == SipMethods.Invite && r.To?.Tag is null);

    /// <summary>re-INVITEs received (pause, resume, refresh, RFC 7866 §8.3), in arrival order.</summary>
    public IReadOnlyList<SipRequest> ReInvites => Requests.Where(r => r.Method == SipMethods.Invite && r.To?.Tag is not null).ToList();

    /// <summary>Completes with the first initial INVITE, as soon as it is received (before any answer).</summary>
    public TaskCompletionSource<SipRequest> InviteSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first BYE has been answered.</summary>
    public TaskCompletionSource ByeSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for the first received request matching <paramref name="match"/>.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>.</exception>
    public Task<SipRequest> WaitForRequestAsync(Func<SipRequest, bool> match, TimeSpan timeout) =>
        WaitAsync(() => _requests.FirstOrDefault(match), timeout);

    /// <summary>Waits for the <paramref name="nth"/> (1-based) request of <paramref name="method"/>.</summary>
    /// <exception cref="TimeoutException">It did not arrive within <paramref name="timeout"/> (default 5 s).</exception>
    public Task<SipRequest> WaitForAsync(string method, int nth = 1, TimeSpan? timeout = null) =>
        WaitAsync(() => _requests.Where(r => r.Method == method).Skip(nth - 1).FirstOrDefault(), timeout ?? DefaultWait);

    /// <summary>Waits for the <paramref name="nth"/> (1-based) ACK.</summary>
    /// <exception cref="TimeoutException">It did not arrive within <paramref name="timeout"/> (default 5 s).</exception>
    public Task<SipRequest> WaitForAckAsync(int nth = 1, TimeSpan? timeout = null) =>
        WaitAsync(() => _acks.Skip(nth - 1).FirstOrDefault(), timeout ?? DefaultWait);

    /// <summary>Waits until the transaction layer reported a CANCEL of an initial INVITE.</summary>
    /// <exception cref="TimeoutException">No CANCEL within <paramref name="timeout"/>.</exception>
    public Task WaitForCancelAsync(TimeSpan timeout) =>
        WaitAsync(() => _cancelled.Count > 0 ? _cancelled[0].Request : null, timeout);

    // `find` runs under _gate, against the lists as they are.
    /// <summary>The default bound of the waits: a hang guard for a loaded 2-core CI machine, never a timing.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private async Task<SipRequest> WaitAsync(Func<SipRequest?> find, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (find() is { } found)
                    return found;
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The fake SRS {Uri} did not receive the expected request within {timeout}.");
            }
        }
    }

    // Applies `change` under _gate, then wakes every waiter to look again.
    private void Record(Action change)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            change();
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
