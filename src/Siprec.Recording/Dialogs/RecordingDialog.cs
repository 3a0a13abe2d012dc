using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Recording.MediaEngines;
using Siprec.Recording.Offers;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// One recording session dialog towards one SRS (RFC 7866 §6.1): the initial INVITE with SDP and metadata, its
/// media in the media engine (one stream per label, opened with the INVITE), and later re-INVITEs, BYE and the SRS's own in-dialog requests.
/// </summary>
internal sealed partial class RecordingDialog : IAsyncDisposable
{
    /// <summary>Allow header of every request and 2xx the SRC sends (DESIGN §4.3).</summary>
    public const string AllowValue = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";

    /// <summary>Accept header of the initial INVITE (DESIGN §4.3).</summary>
    public const string AcceptValue = "application/sdp, application/rs-metadata+xml, application/rs-metadata, application/rs-metadata-request";

    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abandon = new();
    private readonly SemaphoreSlim _offerGate = new(1, 1);
    private readonly DialogDigest _digest;
    private readonly ulong _sdpSessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    private readonly Lock _gate;
    private ulong _sdpVersion = 1;
    private SdpDirection _direction = SdpDirection.SendOnly;
    private SrsOutcome _outcome;
    private RecorderStatus _status = RecorderStatus.Pending;
    private bool _abandoned;
    private int _disposed;
    private ITimer? _refreshTimer;
    private ITimer? _expiryTimer;
    private TimeSpan _sessionExpires;
    private TimeSpan _minSe = TimeSpan.FromSeconds(90);
    private TimeSpan _expiryInterval;
    private readonly IMediaEngineCall _engine;
    private IRecorderMedia? _media;
    private Task _mediaChange = Task.CompletedTask;
    private TaskCompletionSource? _ackReceived;
    private readonly CancellationTokenSource _closing = new();
    private ITimer? _pingTimer;
    private IDisposable? _mediaWatch;
    private IReadOnlyList<SipTarget> _untriedTargets = [];

    /// <summary>Creates the dialog over its streams (one m-line each, in this order for the dialog's life).</summary>
    /// <param name="context">What the dialog needs from the SRC that owns it (transaction layer, locator, clock, options, Contact, routing).</param>
    /// <param name="srsUri">The SRS URI as given.</param>
    /// <param name="uri">The parsed SRS URI; null when the text is not a SIP URI.</param>
    /// <param name="streams">The offered streams, in m-line order.</param>
    /// <param name="settings">Timers, transport, headers, snapshot source.</param>
    /// <param name="engine">The recording's media in the media engine; this dialog opens its recorder's media there when it sends its INVITE.</param>
    /// <param name="targets">
    /// The targets to try instead of locating the URI (RFC 3263): a failover to the next DNS SRV targets of a failed
    /// recorder's URI; null = locate.
    /// </param>
    /// <param name="groupLock">
    /// The lock of the recording this dialog belongs to (<see cref="RecordingSession.GroupLock"/>), so the dialog's state and the
    /// session's change under one lock; null (a dialog on its own) = a lock of its own.
    /// </param>
    public RecordingDialog(DialogContext context, string srsUri, SipUri? uri, IReadOnlyList<OfferedStream> streams, DialogSettings settings,
        IMediaEngineCall engine, IReadOnlyList<SipTarget>? targets = null, Lock? groupLock = null)
    {
        _gate = groupLock ?? new Lock();
        PresetTargets = targets;
        _context = context;
        _logger = context.Logger;
        SrsUri = srsUri;
        Uri = uri;
        Streams = streams;
        Settings = settings;
        _engine = engine;
        _digest = new DialogDigest(settings.Credentials, _logger, srsUri);
        _sessionExpires = settings.SessionExpires;
        Contact = context.ContactFor(SipTransportProtocol.Udp);
        CallId = SipIds.NewCallId(context.LocalAddress.ToString());
        _outcome = new SrsOutcome(srsUri, SrsOutcomeKind.Pending, null, "waiting for an answer");
    }

    /// <summary>The SRS URI as given.</summary>
    public string SrsUri { get; }

    /// <summary>The parsed SRS URI; null when the text is not a SIP URI.</summary>
    public SipUri? Uri { get; }

    /// <summary>This recording dialog's own Call-ID (never the call's).</summary>
    public string CallId { get; }

    /// <summary>The offered streams, in m-line order.</summary>
    public IReadOnlyList<OfferedStream> Streams { get; }

    /// <summary>The targets given instead of locating the URI (a failover to the next DNS SRV targets); null = located.</summary>
    public IReadOnlyList<SipTarget>? PresetTargets { get; }

    /// <summary>
    /// Once the INVITE was answered: the targets its URI resolved to that come after the one that answered (RFC 3263 §4.3
    /// order), i.e. where a failover of this recorder goes first. Empty before, and for a URI with a single target.
    /// </summary>
    public IReadOnlyList<SipTarget> UntriedTargets
    {
        get { lock (_gate) return _untriedTargets; }
    }

    /// <summary>
    /// Sets the direction the initial INVITE offers (default sendonly): <c>a=inactive</c> for a standby that joins a paused
    /// recording (DESIGN §4.3). Call before <see cref="InviteAsync"/>.
    /// </summary>
    public void OfferDirection(SdpDirection direction)
    {
        lock (_gate)
            _direction = direction;
        NegotiatedDirection = direction;
    }

    /// <summary>Timers, transport, extra headers and the snapshot source of this dialog.</summary>
    public DialogSettings Settings { get; }

    /// <summary>True when the SRS's 2xx listed UPDATE in Allow: metadata updates then go by UPDATE (RFC 3311).</summary>
    public bool SrsAllowsUpdate { get; private set; }

    /// <summary>
    /// Stops or restarts media to this SRS on every stream (pause drops packets before signalling: the next re-INVITE
    /// waits until the engine applied it). No effect before the media is open.
    /// </summary>
    public void SetMediaPaused(bool paused)
    {
        if (Media is { } media)
            Volatile.Write(ref _mediaChange, media.SetPausedAsync(paused));
    }

    /// <summary>This recorder's media in the engine, once the INVITE opened it; null before (and when opening failed).</summary>
    public IRecorderMedia? Media => Volatile.Read(ref _media);

    /// <summary>Opens this recorder's media in the engine (once); the INVITE's SDP points there.</summary>
    /// <exception cref="MediaEngineException">The engine could not open it.</exception>
    private async Task OpenMediaAsync(CancellationToken ct)
    {
        if (Media is not null)
            return;
        var media = await _engine.OpenRecorderAsync(Streams.Select(s => s.Party).ToList(), Settings.SecureMedia, ct).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _media, media, null) is not null || Volatile.Read(ref _disposed) != 0)
            await media.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The SIP dialog once a 2xx arrived.</summary>
    public SipDialog? Dialog { get; private set; }

    /// <summary>The direction the SRS last agreed to (sendonly, or inactive after an accepted pause).</summary>
    public SdpDirection NegotiatedDirection { get; private set; } = SdpDirection.SendOnly;

    /// <summary>Where in-dialog requests and ACKs go (address, transport, TLS name).</summary>
    public SipTarget? Destination { get; private set; }

    /// <summary>The Contact this dialog advertises (for the transport its INVITE went over), with <c>+sip.src</c>.</summary>
    public string Contact { get; private set; }

    /// <summary>The latest outcome: of the start, then of the last operation that ended the dialog.</summary>
    public SrsOutcome Outcome
    {
        get { lock (_gate) return _outcome; }
    }

    /// <summary>Called once when an established dialog ends against the SRC's will (SRS BYE, session expiry, a failed ping, an answer <see cref="InDialogFailure"/> says ends it), with the failure.</summary>
    public Action<RecordingDialog, RecorderFailure>? RemoteEnded { get; set; }

    /// <summary>Where the dialog is in its life.</summary>
    public RecorderStatus Status
    {
        get { lock (_gate) return _status; }
    }

    /// <summary>
    /// Gives up on a pending INVITE: cancels it (CANCEL after a provisional) and reports <paramref name="kind"/>;
    /// a 2xx that still arrives is ACKed and then ended with BYE. No effect once the INVITE has its final answer.
    /// </summary>
    public void Abandon(SrsOutcomeKind kind, string detail)
    {
        lock (_gate)
        {
            if (_status != RecorderStatus.Pending || _abandoned)
                return;
            _abandoned = true;
            _outcome = new SrsOutcome(SrsUri, kind, null, detail);
        }

        _abandon.Cancel();
    }

    /// <summary>Marks an established dialog ended by the SRC (before its BYE); false when it was not established.</summary>
    public bool TryEnd(SrsOutcome outcome)
    {
        lock (_gate)
        {
            if (_status != RecorderStatus.Established)
                return false;
            _status = RecorderStatus.Ended;
            _outcome = outcome;
            return true;
        }
    }

    /// <summary>
    /// Gives the SRS's answer (or its own offer) to the media engine, by m-line position (labels in the answer are ignored).
    /// For secure media a line without RTP/SAVP and a supported <c>a=crypto</c> gets no destination. A failure is logged:
    /// the recorder's liveness watch reports an engine that is gone. Returns null when applied, else what failed.
    /// </summary>
    public async Task<string?> ApplyAnswerAsync(SdpSession answer)
    {
        if (Media is not { } media)
            return null;
        try
        {
            await media.ApplyAnswerAsync(answer, _closing.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is MediaEngineException or OperationCanceledException)
        {
            Log.MediaEngineFailed(_logger, SrsUri, CallId, ex.Message);
            return ex.Message;
        }
    }

    /// <summary>Builds the SRC's current SDP (same m-lines and labels for the life of the dialog).</summary>
    public SdpSession BuildSdp(SdpDirection direction, ulong version) =>
        RecordingSdp.Build(_context.Options.SrcUser, _sdpSessionId, version, Media?.Address ?? _context.Options.MediaAddress,
            Streams.Select((s, i) => (s.Label, Media?.Ports[i] ?? 0)).ToList(), direction, Media?.Offered);

    /// <summary>Releases the RTP sockets and the owner's routing entry for this dialog; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _refreshTimer?.Dispose();
        _expiryTimer?.Dispose();
        StopLiveness();
        _context.Unroute(this);
        if (Interlocked.Exchange(ref _media, null) is { } media)
            await DisposeQuietlyAsync(media).ConfigureAwait(false); // the media owns and closes its sockets (or unsubscribes)
    }

    private async Task DisposeQuietlyAsync(IAsyncDisposable disposable)
    {
        try
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            Log.DisposeFailed(_logger, SrsUri, ex);
        }
    }
}
