using System.Globalization;
using Siprec.Media.Forwarding;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// Watches the media side of one established recorder and calls <c>onDead</c> once, from a timer, when the media proves
/// the recorder gone (DESIGN "No silent loss"):
/// <list type="bullet">
/// <item>ICMP port unreachable (RFC 1122 §3.2.2.1) for the recorder's RTP port kept arriving for at least
/// <see cref="SrcOptions.MediaUnreachableAfter"/>: the SRS's media socket is closed (a crashed or restarted recorder).
/// One error alone proves little (a port being re-bound), a streak does: a check that sees the RTP socket's error count
/// grow extends the streak, a gap of more than 3 s ends it (the kernel may rate-limit these errors to about one a second).
/// Errors for the RTCP port do not count: many recorders never open RTP port + 1 (RFC 3550 §11 makes RTCP optional for
/// them to receive), so its port unreachable says nothing about the recording.</item>
/// <item>RTCP silence (RFC 3550 §6.3.5): the recorder sent RTCP on some stream and then nothing on any stream for
/// <see cref="SrcOptions.RtcpSilenceTimeout"/> (5 reporting intervals of 5 s by default), while the SRC's sender reports
/// keep flowing. A recorder that never sends RTCP is never judged by this rule.</item>
/// </list>
/// It checks once a second on the client's clock; declined streams (no destination) are ignored.
/// </summary>
internal sealed class RecorderMediaWatch : IDisposable
{
    /// <summary>How often the forwarders' counters are read.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    // A streak ends when no error came for this long (longer than the kernel's ~1 s ICMP rate limit).
    private static readonly TimeSpan StreakGap = TimeSpan.FromSeconds(3);

    private readonly IReadOnlyList<RtpForwarder> _forwarders;
    private readonly TimeProvider _time;
    private readonly TimeSpan _unreachableAfter;
    private readonly TimeSpan _rtcpSilence;
    private readonly Action<RecorderFailure> _onDead;
    private readonly object _gate = new();
    private ITimer? _timer;
    private DateTimeOffset? _streakStart;
    private DateTimeOffset? _lastError;
    private long _errorsSeen;
    private bool _done;

    /// <param name="forwarders">The recorder's forwarders, one per stream.</param>
    /// <param name="time">The clock the forwarders stamp errors and reports with.</param>
    /// <param name="unreachableAfter">Streak of port-unreachable errors that ends the recorder; zero turns the rule off.</param>
    /// <param name="rtcpSilence">RTCP silence that ends a recorder that sent RTCP before; zero turns the rule off.</param>
    /// <param name="onDead">Called at most once, with the failure to report.</param>
    public RecorderMediaWatch(IReadOnlyList<RtpForwarder> forwarders, TimeProvider time, TimeSpan unreachableAfter, TimeSpan rtcpSilence,
        Action<RecorderFailure> onDead)
    {
        _forwarders = forwarders;
        _time = time;
        _unreachableAfter = unreachableAfter;
        _rtcpSilence = rtcpSilence;
        _onDead = onDead;
    }

    /// <summary>Starts the once-a-second check; no effect when both rules are off.</summary>
    public void Start()
    {
        if (_unreachableAfter <= TimeSpan.Zero && _rtcpSilence <= TimeSpan.Zero) return;
        lock (_gate)
        {
            if (_done || _timer is not null) return;
            _timer = _time.CreateTimer(_ => Check(), null, CheckInterval, CheckInterval);
        }
    }

    /// <summary>Stops watching; idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>One check (the timer's callback; tests may call it after moving the clock).</summary>
    internal void Check()
    {
        RecorderFailure? failure;
        lock (_gate)
        {
            if (_done) return;
            failure = Judge(_time.GetUtcNow());
            if (failure is null) return;
            _done = true;
            _timer?.Dispose();
            _timer = null;
        }
        _onDead(failure);
    }

    private RecorderFailure? Judge(DateTimeOffset now)
    {
        var live = _forwarders.Where(f => f.Destination is { Port: > 0 }).ToList();
        if (live.Count == 0) return null;

        if (_unreachableAfter > TimeSpan.Zero)
        {
            var errors = live.Sum(f => f.Socket.PortUnreachableCount);
            if (errors > _errorsSeen) _lastError = now;
            _errorsSeen = errors;
            if (_lastError is not { } last || now - last > StreakGap) _streakStart = null;
            else
            {
                _streakStart ??= last;
                if (last - _streakStart.Value >= _unreachableAfter)
                {
                    return new RecorderFailure(RecorderFailureCause.MediaUnreachable, null, string.Create(CultureInfo.InvariantCulture,
                        $"the recorder's RTP port answers ICMP port unreachable for {(last - _streakStart.Value).TotalSeconds:0.#} s ({errors} errors): its media socket is closed"))
                    {
                        // The first check that saw errors comes up to one interval after the first of them.
                        LostSince = _streakStart.Value - CheckInterval,
                    };
                }
            }
        }

        if (_rtcpSilence > TimeSpan.Zero && live.Max(f => f.LastRtcpReceivedAt) is { } heard && now - heard >= _rtcpSilence)
        {
            return new RecorderFailure(RecorderFailureCause.RtcpSilence, null, string.Create(CultureInfo.InvariantCulture,
                $"no RTCP from the recorder for {(now - heard).TotalSeconds:0} s after it had sent some (RFC 3550 §6.3.5 timeout)")) { LostSince = heard };
        }
        return null;
    }
}
