using System.Globalization;
using Microsoft.Extensions.Logging;
using Siprec.Recording.MediaEngines;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// The UAC of a recording dialog's initial INVITE (RFC 3261 §13.2, RFC 7866 §7.1): server location with failover
/// (RFC 3263 §4.3) inside the no-answer window (each target but the last has a turn of its own), 422 retry
/// (RFC 4028 §7.4), one digest answer to 401/407 (RFC 3261 §22.2), and the answer's checks.
/// </summary>
internal sealed class InitialInviteClient
{
    private readonly RecordingDialog _dialog;
    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private readonly DialogDigest _digest;
    private readonly InDialogRequester _requester;
    private readonly SessionRefresher _refresher;
    private readonly CancellationTokenSource _abandon = new();

    /// <summary>Creates the INVITE client of <paramref name="dialog"/>; the ACK and BYE go through <paramref name="requester"/>.</summary>
    public InitialInviteClient(RecordingDialog dialog, DialogContext context, DialogDigest digest, InDialogRequester requester, SessionRefresher refresher)
    {
        _dialog = dialog;
        _context = context;
        _logger = context.Logger;
        _digest = digest;
        _requester = requester;
        _refresher = refresher;
    }

    /// <summary>Cancels the pending INVITE (a CANCEL once a provisional came, RFC 3261 §9.1); see <see cref="RecordingDialog.Abandon"/>.</summary>
    public void Abandon() => _abandon.Cancel();

    /// <summary>
    /// Sends the initial INVITE and waits for its final answer. <paramref name="admit"/> is asked, once a usable 2xx
    /// is ACKed, whether the session still wants this recorder (it joins the recorder's media to the call under its own lock);
    /// if not, the dialog is ended with BYE at once. Never throws; the outcome tells what happened.
    /// </summary>
    /// <remarks>
    /// Failover within the no-answer window (<see cref="SrcOptions.NoAnswerTimeout"/>, RFC 3263 §4.3): when the SRS URI
    /// resolves to several targets, every target but the last gets a turn of
    /// <c>max(time left in the window / targets left, 2 × T1)</c>, T1 being the SRC's transaction T1 (500 ms by default;
    /// 2 × T1 covers the INVITE, its first retransmission and the way back, and a live SIP server answers 100 Trying at
    /// once, RFC 3261 §17.2.1). A target that has not answered at all by the end of its turn is given up on: no CANCEL, as
    /// nothing is pending there yet (RFC 3261 §9.1), no more retransmissions, a CANCEL if a provisional still comes, and a
    /// 2xx that still comes is ACKed and ended with BYE; then the next target is tried. A target that answered anything
    /// (a provisional, or a 401/407/422 that is retried) has been reached: like a branch of RFC 3261 §16.6 that is
    /// proceeding, it keeps the rest of the window and no later target is tried; the session's no-answer timeout then
    /// CANCELs it. The last target (and a single one) has the rest of the window.
    /// </remarks>
    public async Task<SrsOutcome> InviteAsync(byte[] metadata, Func<RecordingDialog, bool> admit)
    {
        try
        {
            return await InviteCoreAsync(metadata, admit).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.InviteFailed(_logger, _dialog.SrsUri, ex);
            return _dialog.Finish(SrsOutcomeKind.TransportError, null, ex.Message);
        }
        finally
        {
            if (_dialog.Status == RecorderStatus.Ended)
                await _dialog.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<SrsOutcome> InviteCoreAsync(byte[] metadata, Func<RecordingDialog, bool> admit)
    {
        var windowEnd = _context.Time.GetUtcNow() + _context.Options.NoAnswerTimeout;
        if (_dialog.Uri is null)
            return _dialog.Finish(SrsOutcomeKind.TransportError, null, "not a SIP URI");
        if (_dialog.Settings.SecureMedia && !SrsTargets.IsTlsUri(_dialog.Uri, _dialog.Settings.Transport))
        {
            // RFC 4568 §8.3: SDES keys travel in the SDP, so they must never go over a plain transport.
            return _dialog.Finish(SrsOutcomeKind.TransportError, null,
                $"secure recording (SRTP with SDES keys) needs TLS signalling: use a sips: URI or transport=tls, not {_dialog.Settings.Transport ?? _dialog.Uri.Transport ?? "udp"}");
        }

        if (_dialog.Settings.Transport is { } forced && forced is not ("udp" or "tcp" or "tls"))
            return _dialog.Finish(SrsOutcomeKind.TransportError, null, $"transport {forced} is not supported (udp, tcp or tls)");

        try
        {
            await _dialog.OpenMediaAsync(_abandon.Token).ConfigureAwait(false);
        }
        catch (MediaEngineException ex)
        {
            // The recorder cannot get media: nothing is offered to it; the operator sees media-engine-failed and 503.
            Log.MediaEngineFailed(_logger, _dialog.SrsUri, _dialog.CallId, ex.Message);
            return _dialog.Finish(SrsOutcomeKind.MediaEngineFailed, 503, "media-engine-failed: " + ex.Message);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return _dialog.Finish(SrsOutcomeKind.Cancelled, null, "abandoned while opening media");
        }

        IReadOnlyList<SipTarget> targets;
        try
        {
            targets = _dialog.PresetTargets ?? await SrsTargets.LocateAsync(_context, _dialog.Uri, _dialog.Settings.Transport, _abandon.Token).ConfigureAwait(false);
            if (targets.Count == 0)
                return _dialog.Finish(SrsOutcomeKind.DnsFailure, null, $"no address for {_dialog.Uri.Host}");
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return _dialog.Finish(SrsOutcomeKind.Cancelled, null, "abandoned while resolving");
        }
        catch (Exception ex)
        {
            return _dialog.Finish(SrsOutcomeKind.DnsFailure, null, $"cannot resolve {_dialog.Uri.Host}: {ex.Message}");
        }

        var fromTag = SipIds.NewTag();
        _context.Route(_dialog);
        SipRequest invite = null!;
        TransactionOutcome result = null!;
        uint sequence = 0;
        for (var index = 0; index < targets.Count; index++)
        {
            var target = targets[index];
            if (_dialog.Settings.SecureMedia && target.Protocol != SipTransportProtocol.Tls)
            {
                Log.TargetFailed(_logger, _dialog.SrsUri, target.ToString(), "not TLS, and secure recording never sends keys in clear");
                result = new TransactionOutcome(TransactionOutcomeKind.TransportError, null, $"target {target} is not TLS; secure recording needs TLS signalling");
                continue;
            }
            _dialog.Destination = target;
            _dialog.Contact = _context.ContactFor(target.Protocol);
            SipHeader? authorization = null;
            var authTried = false;
            var intervalRaised = false;
            var turnStart = _context.Time.GetUtcNow();
            DateTimeOffset? turnEnd = index < targets.Count - 1 ? turnStart + SrsTargets.TurnLength(_context, windowEnd, targets.Count - index) : null;
            var silent = false;
            while (true)
            {
                invite = BuildInvite(metadata, fromTag, ++sequence, authorization);
                Log.SendingInvite(_logger, _dialog.SrsUri, _dialog.CallId, target.ToString());
                if (await SendInTurnAsync(invite, target, turnEnd).ConfigureAwait(false) is not { } sent)
                {
                    silent = true;
                    var silentFor = (long)(_context.Time.GetUtcNow() - turnStart).TotalMilliseconds;
                    Log.TargetSilent(_logger, _dialog.SrsUri, target.ToString(), silentFor, targets[index + 1].ToString());
                    result = new TransactionOutcome(TransactionOutcomeKind.Timeout, null, $"no answer from {target} within its turn of {silentFor} ms");
                    break;
                }

                result = sent;
                // Sent over TCP for its size (RFC 3261 §18.1.1): the ACK and later requests start from there too.
                if (result.Target is { } used)
                    _dialog.Destination = used;
                if (_abandon.IsCancellationRequested || result.Response is not { } r)
                    break;

                // Any answer means the target was reached: its retries keep the rest of the window.
                turnEnd = null;

                // RFC 4028 §7.4: 422 names the smallest interval the SRS accepts; retry once with it (same Call-ID, new CSeq).
                if (r.StatusCode == 422 && !intervalRaised && _refresher.SessionExpires > TimeSpan.Zero
                    && SessionTimer.TryRead(r.GetHeader("Min-SE"), out var minSe, out _) && minSe > _refresher.SessionExpires)
                {
                    intervalRaised = true;
                    Log.SessionIntervalRaised(_logger, _dialog.SrsUri, (long)minSe.TotalSeconds);
                    _refresher.Raise(minSe);
                    continue;
                }

                // RFC 3261 §22.2: answer one challenge with the connector's credentials; a second challenge is a rejection.
                if (r.StatusCode is 401 or 407 && !authTried && _digest.HasCredentials)
                {
                    authTried = true;
                    if (!_digest.TryAuthorize(r, BuildInvite(metadata, fromTag, sequence + 1, null), out var header, out var authError))
                        return _dialog.Finish(SrsOutcomeKind.Rejected, r.StatusCode, $"{r.StatusCode} {r.ReasonPhrase} (cannot authenticate: {authError})");
                    authorization = header;
                    continue;
                }

                break;
            }

            // RFC 3263 §4.3: the next target only when this one could not be reached at all.
            if (result.Kind is TransactionOutcomeKind.Response || _abandon.IsCancellationRequested)
            {
                _dialog.UntriedTargets = targets.Skip(index + 1).ToArray();
                break;
            }
            if (!silent)
                Log.TargetFailed(_logger, _dialog.SrsUri, target.ToString(), result.Error ?? result.Kind.ToString());
        }

        if (result.Kind == TransactionOutcomeKind.Timeout)
            return _dialog.Finish(SrsOutcomeKind.Timeout, null, "no final answer (transaction timeout)");
        if (result.Kind == TransactionOutcomeKind.TransportError || result.Response is null)
            return _dialog.Finish(SrsOutcomeKind.TransportError, null, result.Error ?? "transport error");

        var response = result.Response;
        if (!result.IsSuccess)
        {
            var kind = _abandon.IsCancellationRequested && response.StatusCode == 487 ? SrsOutcomeKind.Cancelled : SrsOutcomeKind.Rejected;
            return _dialog.Finish(kind, response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
        }

        return await EstablishAsync(invite, response, admit).ConfigureAwait(false);
    }

    private async Task<SrsOutcome> EstablishAsync(SipRequest invite, SipResponse response, Func<RecordingDialog, bool> admit)
    {
        var dialog = SipDialog.CreateAsUac(invite, response);
        _dialog.Dialog = dialog;
        _dialog.Destination = await SrsTargets.ResolveInDialogAsync(_context, dialog, _dialog.Destination!, _dialog.SrsUri).ConfigureAwait(false);
        var inviteSequence = invite.CSeq?.Sequence ?? 1;

        var answer = SipBodies.ReadSdp(response, out var sdpError);
        if (answer is null)
        {
            await _requester.SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            Log.UnusableAnswer(_logger, _dialog.SrsUri, sdpError ?? "no SDP");
            await _requester.SendByeAsync(dialog).ConfigureAwait(false);
            return _dialog.Finish(SrsOutcomeKind.Rejected, response.StatusCode, $"{response.StatusCode} without a usable SDP answer ({sdpError})");
        }

        if (await _dialog.ApplyAnswerAsync(answer).ConfigureAwait(false) is { } engineFailure)
        {
            // The SRS accepted but the media engine cannot send to it: nothing would be recorded.
            await _requester.SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            await _requester.SendByeAsync(dialog).ConfigureAwait(false);
            return _dialog.Finish(SrsOutcomeKind.MediaEngineFailed, 503, "media-engine-failed: " + engineFailure);
        }

        _dialog.SrsAllowsUpdate = response.GetHeaderValues("Allow").Any(m => m.Trim().Equals(SipMethods.Update, StringComparison.OrdinalIgnoreCase));
        // An inactive offer (a standby joining a paused recording) is answered inactive, with no destination yet
        // (RFC 3264 §6.1): there only port 0 on every m-line declines.
        var declined = _dialog.NegotiatedDirection == SdpDirection.Inactive
            ? Enumerable.Range(0, _dialog.Streams.Count).All(i => i >= answer.Media.Count || answer.Media[i].Port <= 0)
            : _dialog.Media is not { Receiving: true };
        if (declined)
        {
            // Every stream declined (port 0 or not receiving): the SRS cannot record anything.
            await _requester.SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            Log.UnusableAnswer(_logger, _dialog.SrsUri, "every stream declined");
            await _requester.SendByeAsync(dialog).ConfigureAwait(false);
            return _dialog.Finish(SrsOutcomeKind.Rejected, response.StatusCode, $"{response.StatusCode} declining every stream");
        }

        _dialog.MarkEstablished(response);
        _refresher.Start(response);

        // Admitted before the ACK goes out, so a BYE the SRS sends right after our ACK finds an established dialog.
        var admitted = _dialog.Status == RecorderStatus.Established && admit(_dialog);
        await _requester.SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
        if (admitted)
            return _dialog.Outcome;

        // The session gave up on this SRS (timeout or stop) before it accepted: end it so both sides agree.
        // If the session's stop already ended it, the stop sends the BYE.
        Log.LateAcceptEnded(_logger, _dialog.SrsUri, _dialog.CallId);
        if (_dialog.EndNotAdmitted(response))
            await _requester.SendByeAsync(dialog).ConfigureAwait(false);
        return _dialog.Outcome;
    }

    /// <summary>
    /// Sends one INVITE to <paramref name="target"/>. With a <paramref name="turnEnd"/>, returns null when the target has
    /// not answered at all by then: the attempt is given up on (the transaction stops retransmitting and CANCELs only
    /// once a provisional arrives, RFC 3261 §9.1) and <see cref="EndAbandonedAttemptAsync"/> ends a 2xx that still comes.
    /// A provisional within the turn keeps the attempt to its final answer (or to the dialog's abandonment).
    /// </summary>
    private async Task<TransactionOutcome?> SendInTurnAsync(SipRequest invite, SipTarget target, DateTimeOffset? turnEnd)
    {
        if (turnEnd is not { } end)
            return await _context.Layer.SendRequestAsync(invite, target, null, _abandon.Token).ConfigureAwait(false);

        var attempt = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        using var turnTimer = new CancellationTokenSource();
        var left = end - _context.Time.GetUtcNow();
        // Armed before the INVITE goes out, so the turn is never longer than its length after the first transmission.
        var turnOver = Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, _context.Time, turnTimer.Token);
        var answered = 0;
        Task<TransactionOutcome> send;
        try
        {
            send = _context.Layer.SendRequestAsync(invite, target, _ => Volatile.Write(ref answered, 1), attempt.Token);
        }
        catch
        {
            attempt.Dispose();
            throw;
        }

        await Task.WhenAny(send, turnOver).ConfigureAwait(false);
        if (send.IsCompleted || Volatile.Read(ref answered) != 0 || _abandon.IsCancellationRequested)
        {
            await turnTimer.CancelAsync().ConfigureAwait(false);
            try
            {
                return await send.ConfigureAwait(false);
            }
            finally
            {
                attempt.Dispose();
            }
        }

        await attempt.CancelAsync().ConfigureAwait(false);
        _ = EndAbandonedAttemptAsync(invite, send, target, attempt);
        return null;
    }

    /// <summary>
    /// Waits out an INVITE given up on at the end of its turn; a 2xx that still comes is treated like the late 2xx of an
    /// abandoned start (<see cref="EstablishAsync"/>): ACKed (RFC 3261 §13.2.2.4), then ended with BYE, so that SRS does
    /// not record a session nobody feeds. Never throws.
    /// </summary>
    private async Task EndAbandonedAttemptAsync(SipRequest invite, Task<TransactionOutcome> send, SipTarget target, CancellationTokenSource attempt)
    {
        try
        {
            var late = await send.ConfigureAwait(false);
            if (!late.IsSuccess || late.Response is not { } ok)
                return;
            var dialog = SipDialog.CreateAsUac(invite, ok);
            var to = await SrsTargets.ResolveInDialogAsync(_context, dialog, late.Target ?? target, _dialog.SrsUri).ConfigureAwait(false);
            Log.LateAcceptEnded(_logger, _dialog.SrsUri, _dialog.CallId);
            await _requester.SendAckAsync(dialog, invite.CSeq?.Sequence ?? 1, to).ConfigureAwait(false);
            var bye = _digest.Authorize(dialog.CreateRequest(SipMethods.Bye), null);
            Log.SendingBye(_logger, _dialog.SrsUri, _dialog.CallId);
            var byeSent = _context.Layer.SendRequestAsync(bye, to, null, CancellationToken.None);
            await Task.WhenAny(byeSent, Task.Delay(_context.Options.NoAnswerTimeout, _context.Time)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ByeFailed(_logger, _dialog.SrsUri, ex);
        }
        finally
        {
            attempt.Dispose();
        }
    }

    private SipRequest BuildInvite(byte[] metadata, string fromTag, uint sequence, SipHeader? authorization)
    {
        var (direction, version) = _dialog.CurrentOffer();
        var sdp = _dialog.BuildSdp(direction, version).ToBytes();
        var parts = new List<MimePart>
        {
            new([new SipHeader("Content-Type", "application/sdp")], sdp),
            new([new SipHeader("Content-Type", Metadata.RecordingMetadata.ContentType), new SipHeader("Content-Disposition", "recording-session")], metadata),
        };
        var body = MultipartBody.Build(parts, out var boundary);
        var requestUri = _dialog.Uri! with { Headers = [] };
        var from = new NameAddress(null, _context.LocalUri, []).WithTag(fromTag);
        var to = new NameAddress(null, requestUri, []);
        var request = new SipRequest(SipMethods.Invite, requestUri)
        {
            Headers =
            [
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("From", from.ToString()),
                new SipHeader("To", to.ToString()),
                new SipHeader("Call-ID", _dialog.CallId),
                new SipHeader("CSeq", sequence.ToString(CultureInfo.InvariantCulture) + " INVITE"),
                new SipHeader("Contact", _dialog.Contact),
                new SipHeader("Require", "siprec"),
                new SipHeader("Supported", "timer"),
                new SipHeader("Allow", RecordingDialog.AllowValue),
                new SipHeader("Accept", RecordingDialog.AcceptValue),
            ],
        };
        if (SessionTimer.HeaderValue(_refresher.SessionExpires) is { } sessionExpires)
            request = request.AddHeader("Session-Expires", sessionExpires).AddHeader("Min-SE", ((long)_refresher.MinSe.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (authorization is { } auth)
            request = request.AddHeader(auth.Name, auth.Value);
        foreach (var (name, value) in _dialog.Settings.ExtraHeaders)
            request = request.AddHeader(name, value);
        return request.WithBody("multipart/mixed;boundary=" + SipBodies.QuoteBoundary(boundary), body);
    }
}
