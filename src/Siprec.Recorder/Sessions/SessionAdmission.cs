using System.Net;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// Counts open recording sessions in total and per SRC address, so one source (a flood of dead SIPREC INVITEs) can fill
/// at most its own share and never lock out another SRC. A slot is taken before the session's sockets and files are
/// created and given back exactly once, by disposing the <see cref="Slot"/>. Thread-safe.
/// </summary>
internal sealed class SessionAdmission
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perSource = [];
    private readonly int _maxTotal;
    private readonly int _maxPerSource;
    private int _total;

    /// <param name="maxTotal">Sessions open at once, from all sources.</param>
    /// <param name="maxPerSource">Sessions open at once from one source IP address (any port, any transport).</param>
    public SessionAdmission(int maxTotal, int maxPerSource)
    {
        _maxTotal = maxTotal;
        _maxPerSource = maxPerSource;
    }

    /// <summary>Takes a slot for <paramref name="source"/>, or returns null with the limit that was reached.</summary>
    /// <param name="source">The INVITE's source address.</param>
    /// <param name="refusal">When null is returned: <see cref="SessionRefusal.MaxSessions"/> or <see cref="SessionRefusal.MaxSessionsPerSource"/>.</param>
    /// <param name="detail">When null is returned: the limit in words, for the Warning header and the log.</param>
    public Slot? TryAdmit(IPAddress source, out SessionRefusal refusal, out string? detail)
    {
        // An IPv4 peer on a dual-stack socket must count as the same source as over an IPv4 socket.
        var key = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        lock (_gate)
        {
            if (_total >= _maxTotal)
            {
                refusal = SessionRefusal.MaxSessions;
                detail = $"recording server is at its limit of {_maxTotal} sessions";
                return null;
            }
            var fromSource = _perSource.GetValueOrDefault(key);
            if (fromSource >= _maxPerSource)
            {
                refusal = SessionRefusal.MaxSessionsPerSource;
                detail = $"recording server is at its limit of {_maxPerSource} sessions from {key}";
                return null;
            }
            _perSource[key] = fromSource + 1;
            _total++;
        }
        refusal = default;
        detail = null;
        return new Slot(this, key);
    }

    private void Release(IPAddress key)
    {
        lock (_gate)
        {
            _total--;
            if (_perSource[key] <= 1) _perSource.Remove(key);
            else _perSource[key]--;
        }
    }

    /// <summary>One admitted session's place in the counts; disposing it (once or more) gives the place back once.</summary>
    internal sealed class Slot : IDisposable
    {
        private SessionAdmission? _owner;
        private readonly IPAddress _key;

        public Slot(SessionAdmission owner, IPAddress key)
        {
            _owner = owner;
            _key = key;
        }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(_key);
    }
}
