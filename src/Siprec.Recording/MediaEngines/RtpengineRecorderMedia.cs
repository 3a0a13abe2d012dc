using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtpengine;
using Siprec.Media.Srtp;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// One recorder's subscription at rtpengine (ng <c>subscribe request</c> / <c>subscribe answer</c>, identified by its
/// <c>to-tag</c>): the SRC's SDP points at rtpengine's ports and keys; pause is the SRS's answer again with its connection
/// held (<c>c=</c> 0.0.0.0), resume the answer as the SRS gave it.
/// </summary>
/// <remarks>
/// Not <c>block media</c>: on rtpengine 10.5 it blocks the source participant's media towards everyone, so on an anchored
/// call it would silence the call itself (tests/Siprec.Media.Tests/Rtpengine/Resources/anchor-probe.py; docs/CONTRACTS.md).
/// A held subscription gets no packet and keeps its ports, so resuming needs no new offer to the SRS.
/// </remarks>
internal sealed class RtpengineRecorderMedia : IRecorderMedia
{
    private readonly RtpengineMediaCall _call;
    private readonly string _toTag;
    private readonly IReadOnlyList<CallParty> _parties;
    private readonly RtpengineInstance _instance;
    private readonly string _ngCallId;
    private readonly bool _anchored;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _answerGate = new(1, 1);
    private string? _appliedWhere;
    private SdpSession? _answer;
    private bool _paused;
    private bool _sentHeld;
    private bool _receiving;
    private int _disposed;

    public RtpengineRecorderMedia(RtpengineMediaCall call, string toTag, IPAddress address, IReadOnlyList<int> ports, IReadOnlyList<SdesCrypto>? offered,
        IReadOnlyList<CallParty> parties)
    {
        _call = call;
        _toTag = toTag;
        Address = address;
        Ports = ports;
        Offered = offered;
        _parties = parties;
        // Where the subscription lives, kept for its unsubscribe: the recording may have let go of the call by then.
        _instance = call.Instance ?? throw new InvalidOperationException("a subscription needs the recording's instance");
        _ngCallId = call.NgCallId;
        _anchored = call.IsAnchored;
    }

    /// <inheritdoc />
    public IPAddress Address { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Ports { get; }

    /// <inheritdoc />
    public IReadOnlyList<SdesCrypto>? Offered { get; }

    /// <inheritdoc />
    public bool Receiving
    {
        get { lock (_gate) return _receiving; }
    }

    /// <inheritdoc />
    /// <remarks>
    /// An answer reaches rtpengine (<c>subscribe answer</c>) when it is the first, when it moves the SRS's media (another
    /// address, port or key on some m-line: a re-INVITE's answer, the SRS's own offer; rtpengine 10.5 then sends to the new
    /// place) or when it changes whether the subscription is held (an answer that receives nothing, <c>a=inactive</c>, is held
    /// like a pause: rtpengine 10.5 ignores the direction). Otherwise only kept, as the answer a resume restores. Answers and
    /// pauses are applied one at a time, in order.
    /// </remarks>
    public async Task ApplyAnswerAsync(SdpSession answer, CancellationToken ct)
    {
        await _answerGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // The latest answer is what a resume restores (a pause's answer may have moved the port, the resume's not).
            _answer = answer;
            await SyncAsync(ct).ConfigureAwait(false);
            lock (_gate)
                _receiving = answer.Media.Take(Ports.Count).Any(m => m.Port > 0);
        }
        finally
        {
            _answerGate.Release();
        }
    }

    // Under _answerGate: tells rtpengine the latest answer, held while paused or while the answer receives nothing, unless
    // what it has already is that (same place, same hold). Whatever order pause, resume and their re-INVITEs' answers come in,
    // rtpengine ends up with the latest answer in the right hold state.
    private async Task SyncAsync(CancellationToken ct)
    {
        if (_answer is not { } answer)
            return; // not answered yet: the first answer is sent in the state then current
        var where = Where(answer);
        var held = _paused || IsInactive(answer);
        if (where == _appliedWhere && held == _sentHeld)
            return;
        await _call.SendAsync(_call.Instance ?? throw new MediaEngineException("the recording's media at rtpengine is gone"), new Dictionary<string, object>
        {
            ["command"] = "subscribe answer",
            ["call-id"] = _call.NgCallId,
            ["to-tag"] = _toTag,
            ["sdp"] = held ? Held(answer.ToString()) : answer.ToString(),
        }, ct).ConfigureAwait(false);
        _appliedWhere = where;
        _sentHeld = held;
    }

    // An answer that receives nothing (a standby's answer to a paused recording's offer): rtpengine 10.5 ignores a=inactive
    // and would send (anchor-probe: an a=inactive subscribe answer still got every packet), so it is held like a pause.
    private bool IsInactive(SdpSession answer)
    {
        var media = answer.Media.Take(Ports.Count).Where(m => m.Port > 0).ToList();
        return media.Count > 0 && media.All(m => answer.DirectionOf(m) is SdpDirection.Inactive or SdpDirection.SendOnly);
    }

    /// <summary>
    /// <paramref name="sdp"/> with every connection line pointing nowhere (RFC 3264 §8.4's hold by address: 0.0.0.0, or ::
    /// for IPv6), which rtpengine 10.5 honours by sending nothing to that subscriber.
    /// </summary>
    internal static string Held(string sdp) =>
        string.Join("\r\n", sdp.Split("\r\n").Select(line =>
            line.StartsWith("c=IN IP4 ", StringComparison.Ordinal) ? "c=IN IP4 0.0.0.0"
            : line.StartsWith("c=IN IP6 ", StringComparison.Ordinal) ? "c=IN IP6 ::"
            : line));

    // Where the SRS wants each stream: address, port and key per m-line (not the direction).
    private string Where(SdpSession answer) =>
        string.Join("|", answer.Media.Take(Ports.Count).Select(m =>
            $"{answer.ConnectionFor(m)?.Address} {m.Port} {m.Protocol} {string.Join(",", m.Attributes.Where(a => a.Name == SdesCrypto.AttributeName).Select(a => a.Value))}"));

    /// <inheritdoc />
    public void Join()
    {
        // rtpengine forwards once the subscription is answered: nothing to add on the SRC's side.
    }

    /// <inheritdoc />
    public void Leave()
    {
        // The subscription ends with DisposeAsync (unsubscribe), after the recorder's BYE.
    }

    /// <inheritdoc />
    public async Task SetPausedAsync(bool paused)
    {
        var command = paused ? "subscribe answer (held)" : "subscribe answer";
        await _answerGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _paused = paused;
            if (_call.Instance is null)
                return; // deleted meanwhile: nothing flows to this SRS
            await SyncAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (MediaEngineException ex)
        {
            // An instance that does not answer is failed by its pings (the watch reports it); one that refuses is logged.
            Log.MediaEngineCommandFailed(_call.Engine.Logger, _call.NgCallId, command, ex.Message);
        }
        finally
        {
            _answerGate.Release();
        }
    }

    /// <inheritdoc />
    public IDisposable Watch(TimeProvider time, SrcOptions options, Action<RecorderFailure> onFailure)
    {
        var once = 0;
        void OnFailed(string detail)
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
                onFailure(new RecorderFailure(RecorderFailureCause.MediaEngineFailed, null, "media-engine-failed: " + detail) { LostSince = time.GetUtcNow() });
        }

        _call.Failed += OnFailed;
        if (_call.Failure is { } already)
            OnFailed(already);
        return new Unsubscriber(() => _call.Failed -= OnFailed);
    }

    /// <inheritdoc />
    /// <remarks>
    /// What the SRC handed to rtpengine for this leg. rtpengine 10.5's <c>query</c> has no per-subscriber sent count, and its
    /// per-leg received count (<see cref="RtpengineMediaCall.PacketsReceivedByEngine"/>, polled) includes packets held back
    /// while this recorder was paused, so it is not a truer figure for one recorder; it feeds the engine's metrics instead.
    /// For an anchored call it is that received count (the SRC hands rtpengine nothing).
    /// </remarks>
    public long PacketsForwarded(int index) => _call.PacketsSent(_parties[index]);

    /// <inheritdoc />
    public RecorderReport? LatestRecorderReport(int index) => null;

    /// <summary>
    /// Ends the subscription (<c>unsubscribe</c>). For published legs not once the instance is known to be gone (the SRC no
    /// longer sends them anything); for an anchored call always, even after a failure, because an instance that comes back
    /// still holds the call and would go on forking its audio to an SRS told the recording ended. Never throws.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || (!_anchored && (_call.Failure is not null || _call.Instance is null)))
            return;
        try
        {
            await _call.SendAsync(_instance, new Dictionary<string, object>
            {
                ["command"] = "unsubscribe",
                ["call-id"] = _ngCallId,
                ["to-tag"] = _toTag,
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MediaEngineException or ObjectDisposedException)
        {
            Log.MediaEngineCommandFailed(_call.Engine.Logger, _ngCallId, "unsubscribe", ex.Message);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
