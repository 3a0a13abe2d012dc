using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtpengine;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// rtpengine as the media engine (issue 14; rtpengine 10.5 <c>docs/ng_control_protocol.md</c>): the gateway anchors each
/// call's media at one instance (<see cref="AnchorAsync"/>, chosen by weight among those that answer) and every recorder
/// subscribes to the call's two participants; for a call that is not anchored (no anchor, or anchoring failed) the SRC
/// <c>publish</c>es the legs per recording and sends their RTP there. Each SRS gets a <c>subscribe request</c> (rtpengine's offer, SRTP with SDES for a secure recorder) and the SRS's
/// answer goes back in <c>subscribe answer</c>; pause is <c>subscribe answer</c> with the SRS's connection held
/// (<c>c=IN IP4 0.0.0.0</c>), resume the SRS's answer again (rtpengine 10.5's <c>block media</c> would silence an anchored call too),
/// a recorder's end <c>unsubscribe</c>, the recording's end <c>delete</c>. An instance that stops answering fails the
/// recordings it held (<see cref="RecorderFailureCause.MediaEngineFailed"/>); new recordings go to the others.
/// </summary>
public sealed class RtpengineMediaEngine : IMediaEngine, IAsyncDisposable
{
    private readonly ConcurrentDictionary<RtpengineMediaCall, byte> _calls = new();
    private readonly ConcurrentDictionary<string, RtpengineAnchor?> _anchors = new(StringComparer.Ordinal);
    private readonly bool _ownsClient;

    /// <summary>Creates the engine over an ng client.</summary>
    /// <param name="client">The ng client with the configured instances.</param>
    /// <param name="mediaAddress">The SRC's address the legs' RTP leaves from towards rtpengine.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="ownsClient">True to dispose <paramref name="client"/> with the engine.</param>
    public RtpengineMediaEngine(NgClient client, IPAddress mediaAddress, ILoggerFactory loggerFactory, bool ownsClient = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mediaAddress);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Client = client;
        MediaAddress = mediaAddress;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger<RtpengineMediaEngine>();
        _ownsClient = ownsClient;
        client.InstanceDown += OnInstanceDown;
    }

    /// <inheritdoc />
    public string Name => "rtpengine";

    /// <summary>The ng client.</summary>
    public NgClient Client { get; }

    /// <summary>The SRC's address the legs' RTP leaves from.</summary>
    public IPAddress MediaAddress { get; }

    /// <summary>Number of recordings that have media published at some instance now.</summary>
    public int ActiveCalls => _calls.Count;

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    /// <inheritdoc />
    public IMediaEngineCall OpenCall(string callId) => new RtpengineMediaCall(this, callId);

    /// <summary>
    /// Anchors a call's media at an instance that answers (chosen by weight; one that does not answer is marked down and the
    /// next is tried): ng <c>offer</c> with the caller's SDP (<c>from-tag</c> <paramref name="callerTag"/>), then
    /// <c>answer</c> with the bot's (<c>to-tag</c> <paramref name="botTag"/>). Recordings of the call then subscribe to its
    /// two participants. Release it with <see cref="ReleaseAsync"/> when the call ends.
    /// </summary>
    /// <param name="callId">The call's SIP Call-ID (the ng <c>call-id</c>).</param>
    /// <param name="callerTag">The INVITE's From tag.</param>
    /// <param name="callerSdp">The caller's offer, as received.</param>
    /// <param name="botTag">The gateway's To tag.</param>
    /// <param name="botSdp">The bot's answer (its own RTP socket).</param>
    /// <param name="ct">Ends the wait (each try is bounded by <see cref="NgClientOptions.Timeout"/> × <see cref="NgClientOptions.Tries"/>).</param>
    /// <exception cref="MediaEngineException">No instance answers, one refused the offer or the answer (its <c>error-reason</c>),
    /// or another dialog with the same Call-ID is anchored here (the ng call is named by Call-ID: a second dialog would share,
    /// and its end delete, the first one's media).</exception>
    public async Task<RtpengineAnchor> AnchorAsync(string callId, string callerTag, string callerSdp, string botTag, string botSdp, CancellationToken ct)
    {
        // Claimed (null) while being anchored and while being released, so a second dialog never shares the ng call.
        if (!_anchors.TryAdd(callId, null))
            throw new MediaEngineException($"another dialog with Call-ID {callId} is anchored at rtpengine already");
        RtpengineInstance? tried = null;
        var anchored = false;
        try
        {
            var anchor = await OnAnsweringInstanceAsync(async instance =>
            {
                tried = instance;
                var toBot = await OfferAsync(instance, callId, callerTag, callerSdp, ct).ConfigureAwait(false)
                    ?? throw new NgException($"rtpengine {instance} answered 'offer' without a usable SDP", unreachable: false);
                string toCaller;
                try
                {
                    toCaller = await AnswerAsync(instance, callId, callerTag, botTag, botSdp, ct).ConfigureAwait(false);
                }
                catch (NgException ex) when (ex.Unreachable)
                {
                    // It took the offer and then went silent: the next instance is tried, and this one is told to forget the
                    // call in the background, in case it comes back (else its own timeout ends it).
                    _ = DeleteAsync(instance, callId);
                    throw;
                }
                return new RtpengineAnchor(instance, callId, callerTag, botTag, toBot, toCaller, botSdp);
            }).ConfigureAwait(false);
            _anchors[callId] = anchor;
            anchored = true;
            return anchor;
        }
        catch (NgException ex)
        {
            // Refused (error-reason, or an unusable SDP): whatever the instance kept of the call goes.
            await DeleteAsync(tried!, callId).ConfigureAwait(false);
            throw new MediaEngineException(ex.Message, ex);
        }
        finally
        {
            if (!anchored)
                _anchors.TryRemove(new KeyValuePair<string, RtpengineAnchor?>(callId, null));
        }
    }

    /// <summary>
    /// Passes a caller's new offer (a re-INVITE with SDP, RFC 3264 §8) through the anchor: ng <c>offer</c> with it, then
    /// <c>answer</c> with the bot's unchanged SDP, so rtpengine sends to wherever the caller now listens.
    /// </summary>
    /// <param name="anchor">The call's anchor.</param>
    /// <param name="callerSdp">The caller's new offer, as received.</param>
    /// <param name="ct">Ends the wait (bounded by the ng client's tries × timeout).</param>
    /// <returns>The SDP to answer the caller with (rtpengine's ports facing the caller).</returns>
    /// <exception cref="MediaEngineException">The instance did not answer or refused (its <c>error-reason</c>).</exception>
    public async Task<string> ReofferAsync(RtpengineAnchor anchor, string callerSdp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        try
        {
            await OfferAsync(anchor.Instance, anchor.CallId, anchor.CallerTag, callerSdp, ct).ConfigureAwait(false);
            return await AnswerAsync(anchor.Instance, anchor.CallId, anchor.CallerTag, anchor.BotTag, anchor.BotSdp, ct).ConfigureAwait(false);
        }
        catch (NgException ex)
        {
            throw new MediaEngineException(ex.Message, ex);
        }
    }

    // trust-address: the SDP's c= is where each side listens (ng carries no SIP source address); rtpengine latches anyway.
    private static readonly string[] TrustAddress = ["trust-address"];

    // ng offer with the caller's SDP; where the bot must send (rtpengine's first m-line), null without a usable SDP.
    private async Task<IPEndPoint?> OfferAsync(RtpengineInstance instance, string callId, string callerTag, string callerSdp, CancellationToken ct)
    {
        var offered = await Client.SendAsync(instance, new Dictionary<string, object>
        {
            ["command"] = "offer", ["call-id"] = callId, ["from-tag"] = callerTag, ["sdp"] = callerSdp, ["flags"] = TrustAddress,
        }, ct).ConfigureAwait(false);
        return RtpengineMediaCall.FirstMediaEndPoint(offered, instance);
    }

    // ng answer with the bot's SDP; the SDP to answer the caller with. An unusable one is a refusal (NgException).
    private async Task<string> AnswerAsync(RtpengineInstance instance, string callId, string callerTag, string botTag, string botSdp, CancellationToken ct)
    {
        var answered = await Client.SendAsync(instance, new Dictionary<string, object>
        {
            ["command"] = "answer", ["call-id"] = callId, ["from-tag"] = callerTag, ["to-tag"] = botTag, ["sdp"] = botSdp, ["flags"] = TrustAddress,
        }, ct).ConfigureAwait(false);
        return RtpengineMediaCall.FirstMediaEndPoint(answered, instance) is not null && answered["sdp"] is string toCaller
            ? toCaller
            : throw new NgException($"rtpengine {instance} answered 'answer' without a usable SDP", unreachable: false);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> on an instance that answers: chosen by weight (<see cref="NgClient.Pick"/>); one that
    /// does not answer is marked down by the client and the next is tried, each instance at most once.
    /// </summary>
    /// <exception cref="MediaEngineException">No instance answered.</exception>
    /// <exception cref="NgException">An instance refused (<see cref="NgException.Unreachable"/> false): thrown as it came.</exception>
    internal async Task<T> OnAnsweringInstanceAsync<T>(Func<RtpengineInstance, Task<T>> attempt)
    {
        NgException? last = null;
        for (var tries = 0; tries < Client.Instances.Count; tries++)
        {
            RtpengineInstance instance;
            try
            {
                instance = Client.Pick();
            }
            catch (NgException ex)
            {
                last = ex;
                break;
            }

            try
            {
                return await attempt(instance).ConfigureAwait(false);
            }
            catch (NgException ex) when (ex.Unreachable)
            {
                last = ex;
            }
        }

        throw new MediaEngineException(last?.Message ?? "no rtpengine instance answers", last ?? new NgException());
    }

    /// <summary>Ends an anchored call at its instance (ng <c>delete</c>); a failure is logged, never thrown (the call is over).</summary>
    /// <param name="anchor">What <see cref="AnchorAsync"/> returned.</param>
    public async Task ReleaseAsync(RtpengineAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        if (!_anchors.TryUpdate(anchor.CallId, null, anchor))
            return; // released already
        await DeleteAsync(anchor.Instance, anchor.CallId).ConfigureAwait(false);
        _anchors.TryRemove(new KeyValuePair<string, RtpengineAnchor?>(anchor.CallId, null));
    }

    /// <summary>The anchor of the call with SIP Call-ID <paramref name="callId"/>; null when its media is not anchored here.</summary>
    internal RtpengineAnchor? AnchorOf(string callId) => _anchors.TryGetValue(callId, out var anchor) ? anchor : null;

    private async Task DeleteAsync(RtpengineInstance instance, string callId)
    {
        try
        {
            await Client.SendAsync(instance, new Dictionary<string, object> { ["command"] = "delete", ["call-id"] = callId }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NgException or ObjectDisposedException)
        {
            // Never thrown: a call's teardown must finish (a client disposed at shutdown, an instance that is gone).
            Log.MediaEngineCommandFailed(Logger, callId, "delete", ex.Message);
        }
    }

    internal void Track(RtpengineMediaCall call) => _calls.TryAdd(call, 0);

    internal void Forget(RtpengineMediaCall call) => _calls.TryRemove(call, out _);

    private void OnInstanceDown(RtpengineInstance instance, string detail)
    {
        // An anchored call has no media path but through its instance: said even when nothing records it.
        foreach (var anchor in _anchors.Values.OfType<RtpengineAnchor>().Where(a => Equals(a.Instance, instance)))
            Log.MediaEngineAnchorLost(Logger, anchor.CallId, instance.ToString(), detail);
        foreach (var call in _calls.Keys.Where(c => Equals(c.Instance, instance)))
            call.Fail($"rtpengine {instance} stopped answering: {detail}");
    }

    /// <summary>Stops listening for instance failures; disposes the client when the engine owns it.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.InstanceDown -= OnInstanceDown;
        if (_ownsClient)
            await Client.DisposeAsync().ConfigureAwait(false);
    }
}
