using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtp;
using Siprec.Media.Rtpengine;
using Siprec.Recording.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// One recording's legs at an rtpengine, then one subscription per recorder: the call's two participants when the gateway
/// anchored the call there (<see cref="RtpengineAnchor"/>), else the legs published once (<c>publish</c>, one sendonly m-line
/// per leg, from a socket of the SRC per leg) on the first recorder. Thread-safe.
/// </summary>
internal sealed class RtpengineMediaCall : IMediaEngineCall
{
    /// <summary>The ng <c>from-tag</c> of the SRC's published legs.</summary>
    public const string PublisherTag = "siprec-src";

    private readonly RtpengineMediaEngine _engine;
    private readonly string _callId;
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly Lock _gate = new();
    private RtpSocket?[] _sockets = [null, null];
    private IPEndPoint?[] _targets = [null, null];
    private IReadOnlyList<CallParty> _published = [];
    private int _generation;
    private string? _failure;
    private bool _disposed;
    private RtpengineCallStats? _stats;
    private RtpengineAnchor? _anchor;

    public RtpengineMediaCall(RtpengineMediaEngine engine, string callId)
    {
        _engine = engine;
        _callId = callId;
    }

    /// <summary>The instance holding this recording's media; null before the first recorder.</summary>
    public RtpengineInstance? Instance { get; private set; }

    /// <summary>The ng <c>call-id</c> (the call's Call-ID with a generation, so a restart with other legs gets a fresh call).</summary>
    public string NgCallId { get; private set; } = "";

    /// <summary>Raised once when the instance holding this recording stops answering.</summary>
    public event Action<string>? Failed;

    /// <summary>The failure, once the instance stopped answering; null while it answers.</summary>
    public string? Failure
    {
        get { lock (_gate) return _failure; }
    }

    internal RtpengineMediaEngine Engine => _engine;

    /// <summary>True while the recording subscribes to an anchored call's participants (nothing published).</summary>
    internal bool IsAnchored => Volatile.Read(ref _anchor) is not null;

    /// <summary>The call's SIP Call-ID (the ng call-id without its generation).</summary>
    internal string CallId => _callId;

    /// <summary>
    /// Packets rtpengine reported receiving on <paramref name="party"/>'s leg (ng <c>query</c>, latest poll); null before the
    /// first answer or without a publication.
    /// </summary>
    public long? PacketsReceivedByEngine(CallParty party) => Volatile.Read(ref _stats)?.Received(party);

    /// <inheritdoc />
    public void OnCallerRtp(ReadOnlySpan<byte> packet) => Send(0, packet);

    /// <inheritdoc />
    public void OnBotRtp(ReadOnlySpan<byte> packet) => Send(1, packet);

    private void Send(int leg, ReadOnlySpan<byte> packet)
    {
        if (Volatile.Read(ref _sockets)[leg] is { } socket && Volatile.Read(ref _targets)[leg] is { } target)
            socket.TrySend(packet, target);
    }

    /// <summary>
    /// Packets of <paramref name="party"/>'s leg handed to rtpengine so far; for an anchored call (the parties send to
    /// rtpengine themselves) what rtpengine reported receiving on that leg (polled).
    /// </summary>
    public long PacketsSent(CallParty party) =>
        Volatile.Read(ref _anchor) is not null ? PacketsReceivedByEngine(party) ?? 0
        : Volatile.Read(ref _sockets)[(int)party] is { } socket ? socket.PacketsSent : 0;

    /// <inheritdoc />
    public async Task<IRecorderMedia> OpenRecorderAsync(IReadOnlyList<CallParty> parties, bool secure, CancellationToken ct)
    {
        await _publishGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_engine.AnchorOf(_callId) is { } anchor)
                Subscribe(anchor, parties);
            else if (!_published.SequenceEqual(parties) || Failure is not null)
                await PublishAsync(parties, ct).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }

        var command = new Dictionary<string, object>
        {
            ["command"] = "subscribe request",
            ["call-id"] = NgCallId,
            ["transport-protocol"] = secure ? "RTP/SAVP" : "RTP/AVP",
        };
        if (Volatile.Read(ref _anchor) is { } anchored)
            command["from-tags"] = parties.Select(anchored.TagOf).ToArray(); // one sendonly m-line per participant, in this order
        else
            command["from-tag"] = PublisherTag;
        if (secure)
            command["DTLS"] = "off"; // SDES only: DESIGN §4.3 keys travel in the SDP over TLS
        var answer = await SendAsync(Instance!, command, ct).ConfigureAwait(false);
        var toTag = answer.TryGetValue("to-tag", out var t) ? t as string : null;
        if (toTag is null || !TryReadSdp(answer, out var offer))
            throw new MediaEngineException($"rtpengine {Instance} answered 'subscribe request' without a to-tag or a usable SDP");
        if (offer.Media.Count < parties.Count || offer.Media.Take(parties.Count).Any(m => m.Port <= 0))
            throw new MediaEngineException($"rtpengine {Instance} offered {offer.Media.Count} usable m-lines for {parties.Count} legs");
        var address = HostOf(offer, offer.Media[0], Instance!);
        IReadOnlyList<Siprec.Media.Srtp.SdesCrypto>? crypto = null;
        if (secure)
        {
            var keys = RecordingSdp.ReadCrypto(offer, parties.Count);
            if (keys.Any(k => k is null))
                throw new MediaEngineException($"rtpengine {Instance} offered no supported SDES suite (AES_CM_128_HMAC_SHA1_80/32)");
            crypto = keys!;
        }

        return new RtpengineRecorderMedia(this, toTag, address, offer.Media.Take(parties.Count).Select(m => m.Port).ToArray(), crypto, parties);
    }

    // An anchored call: nothing to publish or send, the recorders subscribe to its participants at the anchor's instance.
    private void Subscribe(RtpengineAnchor anchor, IReadOnlyList<CallParty> parties)
    {
        if (Volatile.Read(ref _anchor) == anchor)
            return;
        lock (_gate)
        {
            Instance = anchor.Instance;
            NgCallId = anchor.CallId;
            _failure = null;
            _published = parties.ToArray();
        }

        Volatile.Write(ref _anchor, anchor);
        var streams = new Dictionary<(string, int), CallParty> { [(anchor.CallerTag, 1)] = CallParty.Caller, [(anchor.BotTag, 1)] = CallParty.Bot };
        Volatile.Write(ref _stats, new RtpengineCallStats(this, anchor.Instance, anchor.CallId, streams, fromNow: true));
        _engine.Track(this);
    }

    private async Task PublishAsync(IReadOnlyList<CallParty> parties, CancellationToken ct)
    {
        await DeleteAsync().ConfigureAwait(false); // a previous publication (other legs, or a failed instance) goes first
        var sockets = new RtpSocket?[2];
        foreach (var party in parties)
            sockets[(int)party] = RtpSocket.Bind(_engine.MediaAddress, 0, _engine.LoggerFactory.CreateLogger<RtpSocket>());
        var sdp = PublishSdp(parties, sockets);
        try
        {
            // A new recording goes to an instance that answers: one that does not is marked down and the next is tried.
            await _engine.OnAnsweringInstanceAsync(async instance =>
            {
                var ngCallId = string.Create(CultureInfo.InvariantCulture, $"{_callId};siprec-{++_generation}");
                var answer = await _engine.Client.SendAsync(instance, new Dictionary<string, object>
                {
                    ["command"] = "publish",
                    ["call-id"] = ngCallId,
                    ["from-tag"] = PublisherTag,
                    ["sdp"] = sdp,
                }, ct).ConfigureAwait(false);
                if (!TryReadSdp(answer, out var published) || published.Media.Count < parties.Count)
                    throw new NgException($"rtpengine {instance} answered 'publish' without a usable SDP", unreachable: false);
                var targets = new IPEndPoint?[2];
                for (var i = 0; i < parties.Count; i++)
                {
                    var media = published.Media[i];
                    targets[(int)parties[i]] = new IPEndPoint(HostOf(published, media, instance), media.Port);
                }

                lock (_gate)
                {
                    Instance = instance;
                    NgCallId = ngCallId;
                    _failure = null;
                    _published = parties.ToArray();
                }

                Volatile.Write(ref _targets, targets);
                Volatile.Write(ref _sockets, sockets);
                var streams = parties.Select((party, index) => (party, index)).ToDictionary(p => (PublisherTag, p.index + 1), p => p.party);
                Volatile.Write(ref _stats, new RtpengineCallStats(this, instance, ngCallId, streams));
                _engine.Track(this);
                return true;
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NgException or MediaEngineException)
        {
            await DisposeSocketsAsync(sockets).ConfigureAwait(false);
            throw ex as MediaEngineException ?? new MediaEngineException(ex.Message, ex);
        }
    }

    private string PublishSdp(IReadOnlyList<CallParty> parties, RtpSocket?[] sockets)
    {
        var address = _engine.MediaAddress;
        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"v=0\r\no=- {Random.Shared.NextInt64(1, long.MaxValue)} 1 IN {family} {address}\r\ns=SIPREC\r\nc=IN {family} {address}\r\nt=0 0\r\n");
        foreach (var party in parties)
        {
            text.Append(CultureInfo.InvariantCulture, $"m=audio {sockets[(int)party]!.LocalEndPoint.Port} RTP/AVP 0 101\r\n");
            text.Append("a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendonly\r\n");
        }

        return text.ToString();
    }

    /// <summary>Sends one command to this recording's instance; an ng failure becomes a <see cref="MediaEngineException"/>.</summary>
    internal async Task<IReadOnlyDictionary<string, object>> SendAsync(RtpengineInstance instance, Dictionary<string, object> command, CancellationToken ct)
    {
        try
        {
            return await _engine.Client.SendAsync(instance, command, ct).ConfigureAwait(false);
        }
        catch (NgException ex)
        {
            throw new MediaEngineException(ex.Message, ex);
        }
    }

    /// <summary>Marks the recording's media failed (its instance stopped answering) and tells every recorder's watch; once.</summary>
    public void Fail(string detail)
    {
        lock (_gate)
        {
            if (_failure is not null || _disposed)
                return;
            _failure = detail;
        }

        Log.MediaEngineCallFailed(_engine.Logger, _callId, detail);
        Failed?.Invoke(detail);
    }

    /// <summary>Where the first m-line of an ng answer's SDP points (its c= address, else the instance's); null without a usable SDP.</summary>
    internal static IPEndPoint? FirstMediaEndPoint(IReadOnlyDictionary<string, object> answer, RtpengineInstance instance) =>
        !TryReadSdp(answer, out var sdp) || sdp.Media.Count == 0 || sdp.Media[0].Port <= 0 ? null : new IPEndPoint(HostOf(sdp, sdp.Media[0], instance), sdp.Media[0].Port);

    // The c= address of an m-line of rtpengine's SDP, else the instance's own.
    private static IPAddress HostOf(SdpSession sdp, SdpMediaDescription media, RtpengineInstance instance) =>
        IPAddress.TryParse(sdp.ConnectionFor(media)?.Address, out var address) ? address : instance.EndPoint.Address;

    private static bool TryReadSdp(IReadOnlyDictionary<string, object> answer, out SdpSession sdp)
    {
        sdp = null!;
        if (!answer.TryGetValue("sdp", out var value) || value is not string text || !SdpSession.TryParse(text, out var parsed, out _) || parsed is null)
            return false;
        sdp = parsed;
        return true;
    }

    private async Task DeleteAsync()
    {
        RtpengineInstance? instance;
        string ngCallId;
        RtpSocket?[] sockets;
        bool failed;
        var stats = Interlocked.Exchange(ref _stats, null);
        if (stats is not null)
            await stats.DisposeAsync().ConfigureAwait(false); // the last counts, while the call still exists at rtpengine
        var anchored = Interlocked.Exchange(ref _anchor, null) is not null;
        lock (_gate)
        {
            instance = Instance;
            ngCallId = NgCallId;
            failed = _failure is not null;
            Instance = null;
            _published = [];
            sockets = _sockets;
            _sockets = [null, null];
            _targets = [null, null];
        }

        _engine.Forget(this);
        await DisposeSocketsAsync(sockets).ConfigureAwait(false);
        if (instance is null || failed || anchored)
            return; // nothing published, an instance that does not answer, or the gateway's anchored call (it deletes that at hang-up)
        try
        {
            await _engine.Client.SendAsync(instance, new Dictionary<string, object> { ["command"] = "delete", ["call-id"] = ngCallId }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (NgException ex)
        {
            Log.MediaEngineCommandFailed(_engine.Logger, _callId, "delete", ex.Message);
        }
    }

    private static async Task DisposeSocketsAsync(RtpSocket?[] sockets)
    {
        foreach (var socket in sockets)
        {
            if (socket is not null)
                await socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the call at rtpengine (bounded by the ng client's tries) and closes the legs' sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        await _publishGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DeleteAsync().ConfigureAwait(false);
            lock (_gate)
                _disposed = true;
        }
        finally
        {
            _publishGate.Release();
        }
    }
}
