using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
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
/// two forwarders (label 1 and 2), and later re-INVITEs, BYE and the SRS's own in-dialog requests.
/// </summary>
internal sealed partial class RecordingDialog : IAsyncDisposable
{
    /// <summary>Allow header of every request and 2xx the SRC sends (DESIGN §4.3).</summary>
    public const string AllowValue = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";

    /// <summary>Accept header of the initial INVITE (DESIGN §4.3).</summary>
    public const string AcceptValue = "application/sdp, application/rs-metadata+xml, application/rs-metadata, application/rs-metadata-request";

    private readonly SiprecClient _client;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abandon = new();
    private readonly SemaphoreSlim _offerGate = new(1, 1);
    private readonly ulong _sdpSessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    private readonly object _gate = new();
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

    /// <summary>Creates the dialog over its streams (one m-line each, in this order for the dialog's life).</summary>
    public RecordingDialog(SiprecClient client, string srsUri, SipUri? uri, IReadOnlyList<OfferedStream> streams, DialogSettings settings)
    {
        _client = client;
        _logger = client.Logger;
        SrsUri = srsUri;
        Uri = uri;
        Streams = streams;
        Settings = settings;
        _sessionExpires = settings.SessionExpires;
        CallId = SipIds.NewCallId(client.SipEndPoint.Address.ToString());
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

    /// <summary>Timers, transport, extra headers and the snapshot source of this dialog.</summary>
    public DialogSettings Settings { get; }

    /// <summary>True when the SRS's 2xx listed UPDATE in Allow: metadata updates then go by UPDATE (RFC 3311).</summary>
    public bool SrsAllowsUpdate { get; private set; }

    /// <summary>Stops or restarts media to this SRS on every stream (pause drops packets before signalling).</summary>
    public void SetMediaPaused(bool paused)
    {
        foreach (var s in Streams)
            s.Forwarder.Paused = paused;
    }

    /// <summary>The SIP dialog once a 2xx arrived.</summary>
    public SipDialog? Dialog { get; private set; }

    /// <summary>The direction the SRS last agreed to (sendonly, or inactive after an accepted pause).</summary>
    public SdpDirection NegotiatedDirection { get; private set; } = SdpDirection.SendOnly;

    /// <summary>Where in-dialog requests and ACKs go.</summary>
    public IPEndPoint? Destination { get; private set; }

    /// <summary>The latest outcome: of the start, then of the last operation that ended the dialog.</summary>
    public SrsOutcome Outcome
    {
        get { lock (_gate) return _outcome; }
    }

    /// <summary>Called once when the SRS ends an established dialog (BYE, or 481/408 to a re-INVITE), with the reason.</summary>
    public Action<RecordingDialog, string>? RemoteEnded { get; set; }

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
    /// Sends the initial INVITE and waits for its final answer. <paramref name="admit"/> is asked, once a usable 2xx
    /// is ACKed, whether the session still wants this recorder (it adds the forwarders under its own lock);
    /// if not, the dialog is ended with BYE at once. Never throws; the outcome tells what happened.
    /// </summary>
    public async Task<SrsOutcome> InviteAsync(byte[] metadata, Func<RecordingDialog, bool> admit)
    {
        try
        {
            return await InviteCoreAsync(metadata, admit).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.InviteFailed(_logger, SrsUri, ex);
            return Finish(SrsOutcomeKind.TransportError, null, ex.Message);
        }
        finally
        {
            if (Status == RecorderStatus.Ended)
                await DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<SrsOutcome> InviteCoreAsync(byte[] metadata, Func<RecordingDialog, bool> admit)
    {
        if (Uri is null)
            return Finish(SrsOutcomeKind.TransportError, null, "not a SIP URI");
        var transport = Settings.Transport ?? Uri.Transport ?? (string.Equals(Uri.Scheme, "sips", StringComparison.OrdinalIgnoreCase) ? "tls" : "udp");
        if (transport != "udp")
            return Finish(SrsOutcomeKind.TransportError, null, $"transport {transport} is not available in this SRC yet (UDP only)");

        IPEndPoint destination;
        try
        {
            var found = await _client.Locator.LocateAsync(Uri, _abandon.Token).ConfigureAwait(false);
            if (found.Count == 0)
                return Finish(SrsOutcomeKind.DnsFailure, null, $"no address for {Uri.Host}");
            destination = found[0];
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return Finish(SrsOutcomeKind.Cancelled, null, "abandoned while resolving");
        }
        catch (Exception ex)
        {
            return Finish(SrsOutcomeKind.DnsFailure, null, $"cannot resolve {Uri.Host}: {ex.Message}");
        }

        Destination = destination;
        var fromTag = SipIds.NewTag();
        _client.Register(this);
        SipRequest invite;
        TransactionOutcome result;
        for (uint sequence = 1; ; sequence++)
        {
            invite = BuildInvite(metadata, fromTag, sequence);
            Log.SendingInvite(_logger, SrsUri, CallId, destination);
            result = await _client.Layer.SendRequestAsync(invite, destination, null, _abandon.Token).ConfigureAwait(false);

            // RFC 4028 §7.4: 422 names the smallest interval the SRS accepts; retry once with it (same Call-ID, new CSeq).
            if (sequence == 1 && result.Response is { StatusCode: 422 } tooSmall && !_abandon.IsCancellationRequested
                && SessionTimer.TryRead(tooSmall.GetHeader("Min-SE"), out var minSe, out _) && minSe > _sessionExpires && _sessionExpires > TimeSpan.Zero)
            {
                Log.SessionIntervalRaised(_logger, SrsUri, (long)minSe.TotalSeconds);
                _sessionExpires = minSe;
                _minSe = minSe;
                continue;
            }

            break;
        }

        if (result.Kind == TransactionOutcomeKind.Timeout)
            return Finish(SrsOutcomeKind.Timeout, null, "no final answer (transaction timeout)");
        if (result.Kind == TransactionOutcomeKind.TransportError || result.Response is null)
            return Finish(SrsOutcomeKind.TransportError, null, result.Error ?? "transport error");

        var response = result.Response;
        if (!result.IsSuccess)
        {
            var kind = _abandon.IsCancellationRequested && response.StatusCode == 487 ? SrsOutcomeKind.Cancelled : SrsOutcomeKind.Rejected;
            return Finish(kind, response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
        }

        var dialog = SipDialog.CreateAsUac(invite, response);
        Dialog = dialog;
        Destination = await ResolveTargetAsync(dialog, destination).ConfigureAwait(false);
        var inviteSequence = invite.CSeq?.Sequence ?? 1;

        var answer = SipBodies.ReadSdp(response, out var sdpError);
        if (answer is null)
        {
            await SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            Log.UnusableAnswer(_logger, SrsUri, sdpError ?? "no SDP");
            await SendByeAsync(dialog).ConfigureAwait(false);
            return Finish(SrsOutcomeKind.Rejected, response.StatusCode, $"{response.StatusCode} without a usable SDP answer ({sdpError})");
        }

        ApplyAnswer(answer);
        SrsAllowsUpdate = response.GetHeaderValues("Allow").Any(m => m.Trim().Equals(SipMethods.Update, StringComparison.OrdinalIgnoreCase));
        if (Streams.All(s => s.Forwarder.Destination is null))
        {
            // Every stream declined (port 0 or not receiving): the SRS cannot record anything.
            await SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            Log.UnusableAnswer(_logger, SrsUri, "every stream declined");
            await SendByeAsync(dialog).ConfigureAwait(false);
            return Finish(SrsOutcomeKind.Rejected, response.StatusCode, $"{response.StatusCode} declining every stream");
        }

        lock (_gate)
        {
            if (!_abandoned)
            {
                _status = RecorderStatus.Established;
                _outcome = new SrsOutcome(SrsUri, SrsOutcomeKind.Accepted, response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
            }
        }

        StartSessionTimer(response);

        // Admitted before the ACK goes out, so a BYE the SRS sends right after our ACK finds an established dialog.
        var admitted = Status == RecorderStatus.Established && admit(this);
        await SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
        if (admitted)
            return Outcome;

        // The session gave up on this SRS (timeout or stop) before it accepted: end it so both sides agree.
        // If the session's stop already ended it, the stop sends the BYE.
        Log.LateAcceptEnded(_logger, SrsUri, CallId);
        bool mine;
        lock (_gate)
        {
            mine = _status != RecorderStatus.Ended;
            _status = RecorderStatus.Ended;
            if (!_abandoned && mine)
                _outcome = new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, response.StatusCode, "accepted after the recording gave up on it; sent BYE");
        }

        if (mine)
            await SendByeAsync(dialog).ConfigureAwait(false);
        return Outcome;
    }

    /// <summary>Sets each forwarder's destination from an SDP answer, by m-line position (labels in the answer are ignored).</summary>
    public void ApplyAnswer(SdpSession answer)
    {
        var destinations = RecordingSdp.ReadDestinations(answer, Streams.Count);
        for (var i = 0; i < Streams.Count; i++)
            Streams[i].Forwarder.Destination = destinations[i];
    }

    /// <summary>Builds the SRC's current SDP (same m-lines and labels for the life of the dialog).</summary>
    public SdpSession BuildSdp(SdpDirection direction, ulong version) =>
        RecordingSdp.Build(_client.Options.SrcUser, _sdpSessionId, version, _client.Options.MediaAddress,
            Streams.Select(s => (s.Label, s.Forwarder.Socket.LocalEndPoint.Port)).ToList(), direction);

    private SipRequest BuildInvite(byte[] metadata, string fromTag, uint sequence)
    {
        var sdp = BuildSdp(SdpDirection.SendOnly, _sdpVersion).ToBytes();
        var parts = new List<MimePart>
        {
            new([new SipHeader("Content-Type", "application/sdp")], sdp),
            new([new SipHeader("Content-Type", Metadata.RecordingMetadata.ContentType), new SipHeader("Content-Disposition", "recording-session")], metadata),
        };
        var body = MultipartBody.Build(parts, out var boundary);
        var requestUri = Uri! with { Headers = [] };
        var from = new NameAddress(null, _client.LocalUri, []).WithTag(fromTag);
        var to = new NameAddress(null, requestUri, []);
        var request = new SipRequest(SipMethods.Invite, requestUri)
        {
            Headers =
            [
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("From", from.ToString()),
                new SipHeader("To", to.ToString()),
                new SipHeader("Call-ID", CallId),
                new SipHeader("CSeq", sequence.ToString(CultureInfo.InvariantCulture) + " INVITE"),
                new SipHeader("Contact", _client.ContactValue),
                new SipHeader("Require", "siprec"),
                new SipHeader("Supported", "timer"),
                new SipHeader("Allow", AllowValue),
                new SipHeader("Accept", AcceptValue),
            ],
        };
        if (SessionTimer.HeaderValue(_sessionExpires) is { } sessionExpires)
            request = request.AddHeader("Session-Expires", sessionExpires).AddHeader("Min-SE", ((long)_minSe.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in Settings.ExtraHeaders)
            request = request.AddHeader(name, value);
        return request.WithBody("multipart/mixed;boundary=" + QuoteBoundary(boundary), body);
    }

    private static string QuoteBoundary(string boundary) =>
        boundary.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)) ? boundary : "\"" + boundary + "\"";

    private SrsOutcome Finish(SrsOutcomeKind kind, int? statusCode, string detail)
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

    private async Task<IPEndPoint> ResolveTargetAsync(SipDialog dialog, IPEndPoint fallback)
    {
        var target = dialog.RouteSet.Count > 0 ? dialog.RouteSet[0].Uri : dialog.RemoteTarget;
        try
        {
            using var cts = new CancellationTokenSource(_client.Options.NoAnswerTimeout, _client.Time);
            var found = await _client.Locator.LocateAsync(target, cts.Token).ConfigureAwait(false);
            return found.Count > 0 ? found[0] : fallback;
        }
        catch (Exception ex)
        {
            Log.TargetUnresolved(_logger, SrsUri, target.ToString(), ex.Message);
            return fallback;
        }
    }

    private async Task SendAckAsync(SipDialog dialog, uint inviteSequence)
    {
        var ack = dialog.CreateAck(inviteSequence);
        await _client.Layer.SendAckAsync(ack, Destination!, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Releases the RTP sockets and the client's routing entry; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _refreshTimer?.Dispose();
        _expiryTimer?.Dispose();
        _client.Unregister(this);
        foreach (var s in Streams)
            await DisposeQuietlyAsync(s.Forwarder).ConfigureAwait(false); // a forwarder owns and closes its socket
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
