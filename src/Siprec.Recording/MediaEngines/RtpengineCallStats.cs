using Siprec.Media.Rtpengine;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// Reads one recording's packet counters back from rtpengine (ng <c>query</c>) every <see cref="NgClientOptions.StatsInterval"/>
/// and once at its end: the RTP stream of each leg's (tag, m-line) counts what rtpengine received on that leg (the
/// publisher tag's m-line <i>n</i> for published legs; m-line 1 of the caller's and the bot's tag for an anchored call). Deltas feed <see cref="RtpengineMetrics"/>; the latest totals are kept per leg. A failed query is
/// counted and logged once per recording; it never fails the recording.
/// </summary>
internal sealed class RtpengineCallStats : IAsyncDisposable
{
    private readonly RtpengineMediaCall _call;
    private readonly RtpengineInstance _instance;
    private readonly string _ngCallId;
    private readonly IReadOnlyDictionary<(string Tag, int MediaIndex), CallParty> _streams;
    private readonly long[] _received = new long[2];
    private readonly long[] _baseline = new long[2];
    private bool _fromNow;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private bool _answered;
    private int _logged;
    private int _stopped;

    /// <param name="call">The recording's media at rtpengine (its engine's client, logger and failure).</param>
    /// <param name="instance">The instance holding the media.</param>
    /// <param name="ngCallId">The ng <c>call-id</c> to query.</param>
    /// <param name="streams">Which (tag, m-line index from 1) stream counts which leg.</param>
    /// <param name="fromNow">
    /// True for an anchored call, whose counters run from the call's start: the first answer is taken as the baseline (queried
    /// at once), so neither the metric nor <see cref="Received"/> counts what arrived before this recording.
    /// </param>
    public RtpengineCallStats(RtpengineMediaCall call, RtpengineInstance instance, string ngCallId, IReadOnlyDictionary<(string Tag, int MediaIndex), CallParty> streams,
        bool fromNow = false)
    {
        _fromNow = fromNow;
        _call = call;
        _instance = instance;
        _ngCallId = ngCallId;
        _streams = streams;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Packets rtpengine received on <paramref name="party"/>'s leg, as of the latest successful query; null before one.</summary>
    public long? Received(CallParty party)
    {
        lock (_gate)
            return _answered ? _received[(int)party] - _baseline[(int)party] : null;
    }

    private async Task LoopAsync()
    {
        var client = _call.Engine.Client;
        using var timer = new PeriodicTimer(client.Options.StatsInterval, client.Time);
        try
        {
            if (_fromNow)
                await QueryAsync(_stop.Token).ConfigureAwait(false); // the baseline
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_call.Failure is null)
                    await QueryAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the final query is StopAsync's.
        }
    }

    /// <summary>One <c>query</c>; bounded by the ng client's tries × timeout (or <paramref name="ct"/>).</summary>
    internal async Task QueryAsync(CancellationToken ct)
    {
        try
        {
            var answer = await _call.Engine.Client.SendAsync(_instance, new Dictionary<string, object>
            {
                ["command"] = "query",
                ["call-id"] = _ngCallId,
            }, ct).ConfigureAwait(false);
            Apply(NgQueryAnswer.ReadRtpStreams(answer));
            lock (_gate)
            {
                _answered = true;
                _fromNow = false;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is NgException or FormatException)
        {
            RtpengineMetrics.QueryFailure();
            if (Interlocked.Exchange(ref _logged, 1) == 0)
                Log.MediaEngineQueryFailed(_call.Engine.Logger, _call.CallId, _ngCallId, ex.Message);
        }
    }

    private void Apply(IReadOnlyList<NgStreamStats> streams)
    {
        foreach (var stream in streams)
        {
            if (!_streams.TryGetValue((stream.Tag, stream.MediaIndex), out var party))
                continue; // subscribers' streams count what the SRS sends back: nothing for a recvonly recorder
            long delta;
            lock (_gate)
            {
                delta = stream.Packets - _received[(int)party];
                if (delta <= 0)
                    continue; // a counter never goes back; an older answer arriving late changes nothing
                _received[(int)party] = stream.Packets;
                if (_fromNow)
                {
                    _baseline[(int)party] = stream.Packets;
                    continue;
                }
            }

            RtpengineMetrics.PacketsReceived(party == CallParty.Caller ? "caller" : "bot", delta);
        }
    }

    /// <summary>Stops the polls and, unless the instance is known to be gone, queries a last time (before <c>delete</c>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_call.Failure is null)
            await QueryAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }
}
