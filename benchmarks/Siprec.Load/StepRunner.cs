using System.Collections.Concurrent;
using System.Diagnostics;

namespace Siprec.Load;

/// <summary>
/// One step: N calls set up at the configured rate (INVITE, ACK, caller RTP on, recording start by INFO), held for the
/// hold time once every set-up has finished, hung up at the same rate, then the SRS's final sidecars read.
/// </summary>
/// <remarks>
/// CPU % and RSS come from the hold alone (the steady state). CPU-µs per packet is the gateway's CPU over the whole
/// step (set-up, hold, tear-down: the signalling is part of what a recorded call costs) ÷ the packets the SRS received
/// in the step, both legs.
/// </remarks>
internal sealed class StepRunner
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    // An overloaded gateway takes its time to BYE a thousand recorders: 30 s plus 50 ms a call.
    private static readonly TimeSpan SidecarWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SidecarWaitPerCall = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SidecarPoll = TimeSpan.FromMilliseconds(500);
    private const int FailuresKept = 5;
    // The gateway's receive-engine threads (Siprec.Media's RtpReceiveEngine names them rtp-receive-N).
    private const string ReceiveThreads = "rtp-receive-";
    private static readonly TimeSpan ScrapeBound = TimeSpan.FromSeconds(10);
    private static readonly HttpClient Scraper = new();

    private readonly RtpPump _pump;
    private readonly ServerProcess _srs;
    private readonly string _recordings;
    private readonly string _srsUri;
    private readonly int _rate;

    /// <param name="pump">The callers' RTP.</param>
    /// <param name="srs">The SRS process.</param>
    /// <param name="recordings">The SRS's output folder.</param>
    /// <param name="srsUri">The <c>X-Srs-Url</c> of every start.</param>
    /// <param name="rate">Calls set up (and hung up) per second.</param>
    public StepRunner(RtpPump pump, ServerProcess srs, string recordings, string srsUri, int rate)
    {
        _pump = pump;
        _srs = srs;
        _recordings = recordings;
        _srsUri = srsUri;
        _rate = rate;
    }

    /// <summary>Runs one step of <paramref name="calls"/> calls on <paramref name="gateway"/>.</summary>
    /// <param name="engine">The gateway's media engine (for the row).</param>
    /// <param name="gateway">The gateway process the calls go to.</param>
    /// <param name="caller">The UAC talking to that gateway.</param>
    /// <param name="calls">Concurrent calls.</param>
    /// <param name="hold">How long they are held once all are set up.</param>
    /// <param name="prefix">Recording-ID prefix unique to the step (its sidecars are found by it).</param>
    /// <param name="cancellationToken">Ends the step (timeout, Ctrl+C).</param>
    /// <param name="mediaProcess">
    /// The external media engine the gateway uses (the rtpengine daemon), or null: its CPU and RSS count as the gateway's, since
    /// together they are the media plane (rtpengine anchors the call and forks it; the gateway is still the bot's endpoint).
    /// </param>
    /// <exception cref="InvalidOperationException">The gateway, the media engine or the SRS exited.</exception>
    public async Task<StepResult> RunAsync(MediaEngineKind engine, ServerProcess gateway, SipCaller caller, int calls, TimeSpan hold, string prefix,
        CancellationToken cancellationToken, ServerProcess? mediaProcess = null)
    {
        (ProcessSample Gateway, ProcessSample Srs, ProcessSample Harness) Sample(ServerProcess g) => SampleWith(g, mediaProcess);
        var stepStart = Sample(gateway);
        var receiveThreadsStart = ThreadCpu.Of(gateway.Pid, ReceiveThreads);
        var engineStepStart = mediaProcess?.Sample();
        var skippedBefore = _pump.PacketsSkipped;
        _ = _pump.TakeMaxLagMilliseconds();
        var failures = new ConcurrentQueue<string>();
        var latencies = new ConcurrentQueue<double>();
        var answered = 0;
        var recording = 0;
        var list = new LoadCall[calls];
        var setups = new Task[calls];
        var startsBefore = await ScrapeStartsAsync(gateway, cancellationToken).ConfigureAwait(false);
        var rampStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            await DelayUntilAsync(rampStart, i, cancellationToken).ConfigureAwait(false);
            var call = new LoadCall(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), i % _pump.ShardCount,
                (uint)Random.Shared.NextInt64(uint.MaxValue), (ushort)Random.Shared.Next(ushort.MaxValue));
            list[i] = call;
            setups[i] = SetUpAsync(call);
        }
        await Task.WhenAll(setups).ConfigureAwait(false);
        var starts = startsBefore is null ? null : (await ScrapeStartsAsync(gateway, cancellationToken).ConfigureAwait(false))?.Since(startsBefore);

        await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
        var holdStart = Sample(gateway);
        var engineHoldStart = mediaProcess?.Sample();
        var botBefore = _pump.PacketsReceived;
        await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
        var holdEnd = Sample(gateway);
        var engineHoldEnd = mediaProcess?.Sample();
        var botPackets = _pump.PacketsReceived - botBefore;
        var skipped = _pump.PacketsSkipped - skippedBefore;
        var lag = _pump.TakeMaxLagMilliseconds();

        var rampDown = Stopwatch.GetTimestamp();
        var byes = new Task[calls];
        for (var i = 0; i < calls; i++)
        {
            await DelayUntilAsync(rampDown, i, cancellationToken).ConfigureAwait(false);
            byes[i] = HangUpAsync(list[i]);
        }
        await Task.WhenAll(byes).ConfigureAwait(false);

        var (media, files) = await WaitForSidecarsAsync(prefix, recording, SidecarWait + calls * SidecarWaitPerCall, cancellationToken).ConfigureAwait(false);
        var stepEnd = Sample(gateway);
        var receiveThreads = ThreadCpu.Of(gateway.Pid, ReceiveThreads) - receiveThreadsStart;
        var engineStepEnd = mediaProcess?.Sample();
        MoveAside(files);

        var holdSeconds = Stopwatch.GetElapsedTime(holdStart.Gateway.At, holdEnd.Gateway.At).TotalSeconds;
        var lat = latencies.ToArray();
        return new StepResult
        {
            Engine = engine,
            Calls = calls,
            Answered = answered,
            Recording = recording,
            GatewayCpuPercent = holdEnd.Gateway.CorePercentSince(holdStart.Gateway),
            SrsCpuPercent = holdEnd.Srs.CorePercentSince(holdStart.Srs),
            HarnessCpuPercent = holdEnd.Harness.CorePercentSince(holdStart.Harness),
            MediaEngineShare = engineStepStart is { } es && engineStepEnd is { } ee && engineHoldStart is { } hs && engineHoldEnd is { } he
                ? (he.CorePercentSince(hs), media.Received == 0 ? null : (ee.Cpu - es.Cpu).TotalMicroseconds / media.Received)
                : null,
            GatewayMicrosPerPacket = media.Received == 0 ? null : (stepEnd.Gateway.Cpu - stepStart.Gateway.Cpu).TotalMicroseconds / media.Received,
            ReceiveThreadMicrosPerCallerPacket = media.Caller.Received == 0 || receiveThreads <= TimeSpan.Zero ? null : receiveThreads.TotalMicroseconds / media.Caller.Received,
            Media = media,
            StartP50 = Percentiles.Of(lat, 50),
            StartP99 = Percentiles.Of(lat, 99),
            GatewayStarts = starts,
            GatewayRssBytes = holdEnd.Gateway.RssBytes,
            SrsRssBytes = holdEnd.Srs.RssBytes,
            GeneratorSkipped = skipped,
            GeneratorMaxLagMs = lag,
            BotPacketsPerCallSecond = answered == 0 || holdSeconds <= 0 ? 0 : botPackets / holdSeconds / answered,
            Failures = failures.Take(FailuresKept).ToList(),
        };

        async Task SetUpAsync(LoadCall call)
        {
            var (status, error) = await caller.PlaceCallAsync(call, _pump.LocalEndPoint(call.Shard), cancellationToken).ConfigureAwait(false);
            if (status is < 200 or >= 300)
            {
                failures.Enqueue($"INVITE {status} {error}");
                return;
            }
            Interlocked.Increment(ref answered);
            _pump.Add(call);
            var (infoStatus, milliseconds) = await caller.StartRecordingAsync(call, _srsUri, cancellationToken).ConfigureAwait(false);
            if (infoStatus != 200)
            {
                failures.Enqueue($"INFO start {infoStatus} after {milliseconds:F0} ms");
                return;
            }
            Interlocked.Increment(ref recording);
            latencies.Enqueue(milliseconds);
        }

        async Task HangUpAsync(LoadCall call)
        {
            _pump.Remove(call);
            var status = await caller.HangUpAsync(call, cancellationToken).ConfigureAwait(false);
            if (status is not (0 or 200) && call.Dialog is not null) failures.Enqueue($"BYE {status}");
        }
    }

    // Null when the gateway serves no /metrics or the scrape fails: the row then shows only the harness's own timing.
    private static async Task<StartHistogram?> ScrapeStartsAsync(ServerProcess gateway, CancellationToken cancellationToken)
    {
        if (gateway.MetricsUri is null) return null;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(ScrapeBound);
            return StartHistogram.Parse(await Scraper.GetStringAsync(gateway.MetricsUri, bounded.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"load: cannot read {gateway.MetricsUri}: {ex.Message}");
            return null;
        }
    }

    private async Task<(StepMedia Media, IReadOnlyList<string> Files)> WaitForSidecarsAsync(string prefix, int expected, TimeSpan bound,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var read = SidecarReader.Read(_recordings, prefix);
            if (read.Media.Sessions >= expected || Stopwatch.GetTimestamp() > deadline) return read;
            await Task.Delay(SidecarPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    // Call i of a ramp is due i/rate seconds after its start, so set-ups and hang-ups are spread, never a burst.
    private async Task DelayUntilAsync(long start, int index, CancellationToken cancellationToken)
    {
        var due = start + index * Stopwatch.Frequency / _rate;
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
    }

    private (ProcessSample Gateway, ProcessSample Srs, ProcessSample Harness) SampleWith(ServerProcess gateway, ServerProcess? mediaProcess) =>
        ((gateway.Sample() ?? throw new InvalidOperationException($"the gateway exited; see {gateway.LogPath}"))
            .Plus(mediaProcess is null ? default : mediaProcess.Sample() ?? throw new InvalidOperationException($"{mediaProcess.Name} exited; see {mediaProcess.LogPath}")),
         _srs.Sample() ?? throw new InvalidOperationException($"the SRS exited; see {_srs.LogPath}"),
         ProcessSample.Read(Environment.ProcessId) ?? throw new InvalidOperationException("cannot read /proc/self"));

    // The step's files leave the SRS's folder (so the next step's sidecar polls read only its own) by a rename, not a
    // delete: after thousands of deletions ext4 scans its recently freed inodes on every file creation (recently_deleted
    // in find_inode_bit), which made the SRS's file creations 20 % of its CPU in the next step's ramp. The whole working
    // folder goes at the end of the run (unless --keep).
    private void MoveAside(IEnumerable<string> files)
    {
        var aside = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(_recordings)!, "finished-steps")).FullName;
        foreach (var file in files)
        {
            try
            {
                File.Move(file, Path.Combine(aside, Path.GetFileName(file)), overwrite: true);
            }
            catch (IOException)
            {
                // Still open by the SRS (a session that never ended): it stays, and is not a sidecar of a later step.
            }
        }
    }
}
