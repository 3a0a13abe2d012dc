using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Srtp;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// One recorder's subscription at rtpengine (ng <c>subscribe request</c> / <c>subscribe answer</c>, identified by its
/// <c>to-tag</c>): the SRC's SDP points at rtpengine's ports and keys; pause is <c>block media</c> on the to-tag.
/// </summary>
internal sealed class RtpengineRecorderMedia : IRecorderMedia
{
    private readonly RtpengineMediaCall _call;
    private readonly string _toTag;
    private readonly IReadOnlyList<CallParty> _parties;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _answerGate = new(1, 1);
    private string? _appliedWhere;
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
    /// An answer reaches rtpengine (<c>subscribe answer</c>) when it is the first or when it moves the SRS's media (another
    /// address, port or key on some m-line: a re-INVITE's answer, the SRS's own offer); rtpengine 10.5 then sends to the new
    /// place. An answer that only changes the direction (a pause's <c>a=inactive</c>) is not sent: pause is <c>block media</c>.
    /// Answers are applied one at a time, in order.
    /// </remarks>
    public async Task ApplyAnswerAsync(SdpSession answer, CancellationToken ct)
    {
        var where = Where(answer);
        await _answerGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (where == _appliedWhere)
                return;
            await _call.SendAsync(_call.Instance ?? throw new MediaEngineException("the recording's media at rtpengine is gone"), new Dictionary<string, object>
            {
                ["command"] = "subscribe answer",
                ["call-id"] = _call.NgCallId,
                ["to-tag"] = _toTag,
                ["sdp"] = answer.ToString(),
            }, ct).ConfigureAwait(false);
            _appliedWhere = where;
            lock (_gate)
                _receiving = answer.Media.Take(Ports.Count).Any(m => m.Port > 0);
        }
        finally
        {
            _answerGate.Release();
        }
    }

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
        var command = paused ? "block media" : "unblock media";
        if (_call.Instance is not { } instance)
            return; // deleted meanwhile: nothing flows to anyone
        try
        {
            await _call.SendAsync(instance, new Dictionary<string, object>
            {
                ["command"] = command,
                ["call-id"] = _call.NgCallId,
                ["to-tag"] = _toTag,
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MediaEngineException ex)
        {
            // An instance that does not answer is failed by its pings (the watch reports it); one that refuses is logged.
            Log.MediaEngineCommandFailed(_call.Engine.Logger, _call.NgCallId, command, ex.Message);
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
    /// per-leg received count (<see cref="RtpengineMediaCall.PacketsReceivedByEngine"/>, polled) includes packets blocked
    /// while this recorder was paused, so it is not a truer figure for one recorder; it feeds the engine's metrics instead.
    /// </remarks>
    public long PacketsForwarded(int index) => _call.PacketsSent(_parties[index]);

    /// <inheritdoc />
    public RecorderReport? LatestRecorderReport(int index) => null;

    /// <summary>Ends the subscription (<c>unsubscribe</c>), unless the instance is known to be gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _call.Failure is not null || _call.Instance is not { } instance)
            return;
        try
        {
            await _call.SendAsync(instance, new Dictionary<string, object>
            {
                ["command"] = "unsubscribe",
                ["call-id"] = _call.NgCallId,
                ["to-tag"] = _toTag,
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MediaEngineException ex)
        {
            Log.MediaEngineCommandFailed(_call.Engine.Logger, _call.NgCallId, "unsubscribe", ex.Message);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
