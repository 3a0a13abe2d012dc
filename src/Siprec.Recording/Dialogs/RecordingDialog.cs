using Microsoft.Extensions.Logging;
using Siprec.Recording.MediaEngines;
using Siprec.Recording.Offers;
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
/// <remarks>
/// The coordinator: it holds the dialog's state (under the recording's lock) and delegates each concern to a collaborator,
/// the initial INVITE to <see cref="InitialInviteClient"/>, the SRC's in-dialog requests to <see cref="InDialogRequester"/>,
/// the SRS's to <see cref="InDialogResponder"/>, RFC 4028 timers to <see cref="SessionRefresher"/> and the watch for a dead
/// recorder to <see cref="RecorderLivenessWatch"/>. They read and change the state only through this class's members.
/// </remarks>
internal sealed class RecordingDialog : IAsyncDisposable
{
    /// <summary>Allow header of every request and 2xx the SRC sends (DESIGN §4.3).</summary>
    public const string AllowValue = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";

    /// <summary>Accept header of the initial INVITE (DESIGN §4.3).</summary>
    public const string AcceptValue = "application/sdp, application/rs-metadata+xml, application/rs-metadata, application/rs-metadata-request";

    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private readonly ulong _sdpSessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    private readonly Lock _gate;
    private readonly IMediaEngineCall _engine;
    private readonly CancellationTokenSource _closing = new();
    private readonly SessionRefresher _refresher;
    private readonly InDialogRequester _requester;
    private readonly InDialogResponder _responder;
    private readonly RecorderLivenessWatch _liveness;
    private readonly InitialInviteClient _invite;
    private ulong _sdpVersion = 1;
    private SdpDirection _direction = SdpDirection.SendOnly;
    private SrsOutcome _outcome;
    private RecorderStatus _status = RecorderStatus.Pending;
    private bool _abandoned;
    private int _disposed;
    private IRecorderMedia? _media;
    private Task _mediaChange = Task.CompletedTask;
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
        var digest = new DialogDigest(settings.Credentials, _logger, srsUri);
        _refresher = new SessionRefresher(this, context, settings.SessionExpires);
        _requester = new InDialogRequester(this, context, digest, _refresher);
        _responder = new InDialogResponder(this, context, _requester, _refresher);
        _liveness = new RecorderLivenessWatch(this, context, _requester, _closing.Token);
        _invite = new InitialInviteClient(this, context, digest, _requester, _refresher);
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
        internal set { lock (_gate) _untriedTargets = value; }
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
    public bool SrsAllowsUpdate { get; internal set; }

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
    internal async Task OpenMediaAsync(CancellationToken ct)
    {
        if (Media is not null)
            return;
        var media = await _engine.OpenRecorderAsync(Streams.Select(s => s.Party).ToList(), Settings.SecureMedia, ct).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _media, media, null) is not null || IsDisposed)
            await media.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The SIP dialog once a 2xx arrived.</summary>
    public SipDialog? Dialog { get; internal set; }

    /// <summary>The direction the SRS last agreed to (sendonly, or inactive after an accepted pause).</summary>
    public SdpDirection NegotiatedDirection { get; internal set; } = SdpDirection.SendOnly;

    /// <summary>Where in-dialog requests and ACKs go (address, transport, TLS name).</summary>
    public SipTarget? Destination { get; internal set; }

    /// <summary>The Contact this dialog advertises (for the transport its INVITE went over), with <c>+sip.src</c>.</summary>
    public string Contact { get; internal set; }

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

    /// <summary>True once <see cref="DisposeAsync"/> began: no timer or watch may start any more.</summary>
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The direction of the SRC's current offer (what a refresh or a metadata re-INVITE keeps).</summary>
    internal SdpDirection CurrentDirection
    {
        get { lock (_gate) return _direction; }
    }

    /// <summary>The direction and <c>o=</c> version of the SRC's current SDP (what an answer to the SRS repeats).</summary>
    internal (SdpDirection Direction, ulong Version) CurrentOffer()
    {
        lock (_gate)
            return (_direction, _sdpVersion);
    }

    /// <summary>Takes <paramref name="direction"/> as the current one and returns the next <c>o=</c> version (RFC 3264 §8).</summary>
    internal ulong NextOffer(SdpDirection direction)
    {
        lock (_gate)
        {
            _direction = direction;
            return ++_sdpVersion;
        }
    }

    /// <inheritdoc cref="InitialInviteClient.InviteAsync"/>
    public Task<SrsOutcome> InviteAsync(byte[] metadata, Func<RecordingDialog, bool> admit) => _invite.InviteAsync(metadata, admit);

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

        _invite.Abandon();
    }

    /// <summary>Ends the pending INVITE with its outcome (kept as it is after an <see cref="Abandon"/>); returns the dialog's outcome.</summary>
    internal SrsOutcome Finish(SrsOutcomeKind kind, int? statusCode, string detail)
    {
        lock (_gate)
        {
            _status = RecorderStatus.Ended;
            if (!_abandoned)
                _outcome = new SrsOutcome(SrsUri, kind, statusCode, detail);
            Log.InviteOutcome(_logger, SrsUri, kind, detail);
            return _outcome;
        }
    }

    /// <summary>The INVITE's usable 2xx: established, unless the start was abandoned meanwhile.</summary>
    internal void MarkEstablished(SipResponse response)
    {
        lock (_gate)
        {
            if (!_abandoned)
            {
                _status = RecorderStatus.Established;
                _outcome = new SrsOutcome(SrsUri, SrsOutcomeKind.Accepted, response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }

    /// <summary>Ends a dialog the session did not admit; false when a stop had already ended it (and sends the BYE).</summary>
    internal bool EndNotAdmitted(SipResponse response)
    {
        lock (_gate)
        {
            var mine = _status != RecorderStatus.Ended;
            _status = RecorderStatus.Ended;
            if (!_abandoned && mine)
                _outcome = new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, response.StatusCode, "accepted after the recording gave up on it; sent BYE");
            return mine;
        }
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

    /// <summary>Ends an established recorder against the SRC's will and tells the session; false when it had already ended.</summary>
    internal bool EndByRemote(RecorderFailure failure)
    {
        lock (_gate)
        {
            if (_status != RecorderStatus.Established)
                return false;
            _status = RecorderStatus.Ended;
        }

        Log.RemoteEnded(_logger, SrsUri, CallId, failure.Detail);
        RemoteEnded?.Invoke(this, failure);
        return true;
    }

    /// <summary>Ends an established recorder against the SRC's will (<see cref="EndByRemote"/>), then sends a bounded BYE; never throws.</summary>
    internal async Task EndByRemoteWithByeAsync(RecorderFailure failure)
    {
        if (Dialog is not { } dialog || !EndByRemote(failure))
            return;
        await _requester.SendByeAsync(dialog).ConfigureAwait(false);
    }

    /// <inheritdoc cref="InDialogRequester.ReinviteAsync"/>
    public async Task<SrsOutcome> ReinviteAsync(SdpDirection direction, CancellationToken cancellationToken, byte[]? metadata = null,
        RecorderFailureCause cause = RecorderFailureCause.RequestFailed)
    {
        // A pause's media stop reaches the engine before the re-INVITE says inactive (DESIGN §4.3); never faults.
        await Volatile.Read(ref _mediaChange).ConfigureAwait(false);
        return await _requester.ReinviteAsync(direction, cancellationToken, metadata, cause).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a metadata document (partial update or snapshot) in an UPDATE when the SRS allows it (RFC 3311, no SDP),
    /// else in a re-INVITE with the current direction (RFC 7866 §7.1.2).
    /// </summary>
    public Task<SrsOutcome> SendMetadataAsync(byte[] metadata, CancellationToken cancellationToken) =>
        SrsAllowsUpdate ? _requester.UpdateAsync(metadata, cancellationToken) : ReinviteAsync(CurrentDirection, cancellationToken, metadata);

    /// <inheritdoc cref="InDialogRequester.ByeAsync"/>
    public Task<SrsOutcome> ByeAsync() => _requester.ByeAsync();

    /// <inheritdoc cref="InDialogResponder.HandleRequestAsync"/>
    public Task HandleRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken) =>
        _responder.HandleRequestAsync(transaction, cancellationToken);

    /// <inheritdoc cref="InDialogRequester.OnRetransmitted2xx"/>
    public void OnRetransmitted2xx(SipResponse response) => _requester.OnRetransmitted2xx(response);

    /// <inheritdoc cref="InDialogResponder.OnAck"/>
    public void OnAck(SipRequest ack) => _responder.OnAck(ack);

    /// <inheritdoc cref="RecorderLivenessWatch.Start"/>
    public void StartLiveness() => _liveness.Start();

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
        _refresher.Stop();
        _liveness.Stop();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

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
