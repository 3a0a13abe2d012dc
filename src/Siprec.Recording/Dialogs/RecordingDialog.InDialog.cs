using System.Globalization;
using Siprec.Recording.Metadata;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>The established dialog: offers (pause/resume, metadata updates), and the SRS's own in-dialog requests.</summary>
internal sealed partial class RecordingDialog
{
    /// <summary>
    /// Sends a re-INVITE with the same m-lines in <paramref name="direction"/> and an <c>o=</c> version bump
    /// (RFC 3264 §8); with <paramref name="metadata"/>, a multipart body carrying it too (RFC 7866 §7.1.2).
    /// A failure is handled as <see cref="InDialogFailure"/> classifies it (at most one retry, after the 491 back-off or
    /// a Retry-After within <see cref="SrcOptions.MaxRetryAfter"/>). Never throws except on cancellation.
    /// </summary>
    /// <param name="direction">The direction of every m-line.</param>
    /// <param name="cancellationToken">Ends the wait (and cancels the re-INVITE).</param>
    /// <param name="metadata">A metadata document to send with the SDP; null for SDP only.</param>
    /// <param name="cause">What a failure that ends the recorder is reported as (a session refresh, or a request of the session's).</param>
    public async Task<SrsOutcome> ReinviteAsync(SdpDirection direction, CancellationToken cancellationToken, byte[]? metadata = null,
        RecorderFailureCause cause = RecorderFailureCause.RequestFailed)
    {
        // A pause's media stop reaches the engine before the re-INVITE says inactive (DESIGN §4.3); never faults.
        await Volatile.Read(ref _mediaChange).ConfigureAwait(false);
        return await WithOfferGateAsync(() =>
        {
            ulong version;
            lock (_gate)
            {
                version = ++_sdpVersion;
                _direction = direction;
            }

            var sdp = BuildSdp(direction, version).ToBytes();
            var request = Dialog!.CreateRequest(SipMethods.Invite)
                .SetHeader("Contact", Contact)
                .SetHeader("Allow", AllowValue)
                .SetHeader("Supported", "timer");
            if (metadata is null)
            {
                request = request.WithBody("application/sdp", sdp);
            }
            else
            {
                var body = MultipartBody.Build(
                    [MimePart.Create("application/sdp", sdp), MimePart.Create(RecordingMetadata.ContentType, metadata, "recording-session")], out var boundary);
                request = request.WithBody("multipart/mixed;boundary=" + QuoteBoundary(boundary), body);
            }

            if (SessionTimer.HeaderValue(_sessionExpires) is { } sessionExpires)
                request = request.SetHeader("Session-Expires", sessionExpires);
            Log.SendingReinvite(_logger, SrsUri, CallId, direction);
            return request;
        }, ok =>
        {
            if (SipBodies.ReadSdp(ok, out _) is { } answer)
                _ = ApplyAnswerAsync(answer);
            NegotiatedDirection = direction;
        }, "re-INVITE", cause, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a metadata document (partial update or snapshot) in an UPDATE when the SRS allows it (RFC 3311, no SDP),
    /// else in a re-INVITE with the current direction (RFC 7866 §7.1.2).
    /// </summary>
    public Task<SrsOutcome> SendMetadataAsync(byte[] metadata, CancellationToken cancellationToken)
    {
        if (!SrsAllowsUpdate)
        {
            SdpDirection current;
            lock (_gate)
                current = _direction;
            return ReinviteAsync(current, cancellationToken, metadata);
        }

        return WithOfferGateAsync(() =>
        {
            Log.SendingMetadataUpdate(_logger, SrsUri, CallId);
            return Dialog!.CreateRequest(SipMethods.Update)
                .SetHeader("Contact", Contact)
                .AddHeader("Content-Disposition", "recording-session")
                .WithBody(RecordingMetadata.ContentType, metadata);
        }, _ => { }, "UPDATE", RecorderFailureCause.RequestFailed, cancellationToken);
    }

    private async Task<SrsOutcome> WithOfferGateAsync(Func<SipRequest> build, Action<SipResponse> onSuccess, string what, RecorderFailureCause cause,
        CancellationToken cancellationToken)
    {
        await _offerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SipResponse? challenge = null;
            var retried = false;
            for (var attempt = 0; ; attempt++)
            {
                if (Status != RecorderStatus.Established || Dialog is not { } dialog || Destination is null)
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, null, "recorder is no longer established");

                var request = _digest.Authorize(build(), challenge);
                challenge = null;
                var result = await SendInDialogAsync(request, Destination, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess && result.Response is { } ok)
                {
                    if (request.Method == SipMethods.Invite)
                        await SendAckAsync(dialog, request.CSeq?.Sequence ?? dialog.LocalSequence).ConfigureAwait(false);
                    ArmExpiry(); // RFC 4028 §10: any successful re-INVITE or UPDATE refreshes the session
                    onSuccess(ok);
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Accepted, ok.StatusCode, $"{ok.StatusCode} {ok.ReasonPhrase}");
                }

                if (result.Response is { StatusCode: 401 or 407 } r && attempt < 2 && _digest.HasCredentials && request.GetHeader(DialogDigest.AuthorizationHeaderOf(r)) is null)
                {
                    challenge = r;
                    continue;
                }

                var outcome = SrsOutcome.Of(SrsUri, result, what);
                var failure = InDialogFailure.Classify(result, retried, _context.Options.MaxRetryAfter);
                if (failure.Effect != InDialogFailureEffect.Retry)
                    return await ConcludeAsync(dialog, result, outcome, failure, what, cause).ConfigureAwait(false);
                retried = true;
                Log.RetryingInDialog(_logger, what, SrsUri, CallId, outcome.Detail, failure.RetryDelay.TotalMilliseconds, failure.Rule);
                await Task.Delay(failure.RetryDelay, _context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _offerGate.Release();
        }
    }

    // A re-INVITE answered only provisionally would wait forever (Timer B stops at a 1xx, Timer C is a proxy's): after
    // 64*T1 it is cancelled (RFC 3261 §9.1) and, unless a 2xx still comes, counts as a transaction timeout.
    private async Task<TransactionOutcome> SendInDialogAsync(SipRequest request, SipTarget destination, CancellationToken cancellationToken)
    {
        if (request.Method != SipMethods.Invite)
            return await _context.Layer.SendRequestAsync(request, destination, null, cancellationToken).ConfigureAwait(false);
        using var noFinal = new CancellationTokenSource(InDialogFailure.NoFinalAnswerLimit, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, noFinal.Token);
        var result = await _context.Layer.SendRequestAsync(request, destination, null, linked.Token).ConfigureAwait(false);
        return noFinal.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !result.IsSuccess
            ? new TransactionOutcome(TransactionOutcomeKind.Timeout, null, "no final answer within 64*T1; cancelled")
            : result;
    }

    /// <summary>
    /// Applies a failure's effect (RFC 5057 §5.1): the recorder stays after a transaction-only failure; otherwise it ends,
    /// with a bounded BYE unless the SRS has no such dialog (481). The outcome then says the recorder ended.
    /// </summary>
    private async Task<SrsOutcome> ConcludeAsync(SipDialog dialog, TransactionOutcome result, SrsOutcome outcome, InDialogFailure failure, string what,
        RecorderFailureCause cause)
    {
        if (failure.Effect == InDialogFailureEffect.TransactionOnly)
            return outcome;
        var answer = result.Response is { } r ? $"SRS answered {r.StatusCode} {r.ReasonPhrase} to {what}"
            : result.Kind == TransactionOutcomeKind.TransportError ? $"{what} could not be sent: {outcome.Detail} (transport error)"
            : $"{outcome.Detail} (transaction timeout)";
        if (!EndByRemote(new RecorderFailure(cause, result.Response?.StatusCode, $"{answer}: {failure.Rule}")))
            return outcome; // a stop or an SRS BYE ended it meanwhile, and saw to the BYE
        if (failure.Effect == InDialogFailureEffect.UsageTerminated)
            await SendByeAsync(dialog).ConfigureAwait(false);
        return outcome with { Detail = $"{outcome.Detail}; recorder ended ({failure.Rule})" };
    }

    /// <summary>Sends BYE and waits for its answer at most the no-answer timeout; never throws.</summary>
    public async Task<SrsOutcome> ByeAsync()
    {
        var dialog = Dialog;
        if (dialog is null || Destination is null)
            return new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, null, "no dialog to end");
        return await SendByeAsync(dialog).ConfigureAwait(false);
    }

    private async Task<SrsOutcome> SendByeAsync(SipDialog dialog)
    {
        try
        {
            SipResponse? challenge = null;
            for (var attempt = 0; ; attempt++)
            {
                var bye = _digest.Authorize(dialog.CreateRequest(SipMethods.Bye), challenge);
                Log.SendingBye(_logger, SrsUri, CallId);
                var send = _context.Layer.SendRequestAsync(bye, Destination!, null, CancellationToken.None);
                var winner = await Task.WhenAny(send, Task.Delay(_context.Options.NoAnswerTimeout, _context.Time)).ConfigureAwait(false);
                if (winner != send)
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Timeout, null, "no answer to BYE in time");
                var result = await send.ConfigureAwait(false);
                if (result.Response is { StatusCode: 401 or 407 } r && attempt == 0 && _digest.HasCredentials)
                {
                    challenge = r;
                    continue;
                }

                return SrsOutcome.Of(SrsUri, result, "BYE");
            }
        }
        catch (Exception ex)
        {
            Log.ByeFailed(_logger, SrsUri, ex);
            return new SrsOutcome(SrsUri, SrsOutcomeKind.TransportError, null, ex.Message);
        }
    }

    /// <summary>
    /// Answers one in-dialog request from the SRS (exactly one final response). A snapshot request in an INVITE,
    /// UPDATE or INFO is answered first, then a new complete snapshot is sent (RFC 7866 §9.2).
    /// </summary>
    public async Task HandleRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var dialog = Dialog;
        if (dialog is null || Status != RecorderStatus.Established || !dialog.Matches(request))
        {
            await RespondAsync(transaction, 481, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.CSeq is not { } cseq || !dialog.TryAcceptRemoteSequence(cseq.Sequence))
        {
            await RespondAsync(transaction, 500, "CSeq out of order", cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await RespondAsync(transaction, 200, null, cancellationToken).ConfigureAwait(false);
                EndByRemote(ByeFailure(request));
                return;
            case SipMethods.Invite:
                _ackReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await AnswerOfferAsync(transaction, request, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Update:
                await AnswerOfferAsync(transaction, request, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 200).AddHeader("Allow", AllowValue).AddHeader("Supported", "timer")
                    .AddHeader("Accept", AcceptValue), cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Info:
                await RespondAsync(transaction, 200, null, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 405).AddHeader("Allow", AllowValue), cancellationToken).ConfigureAwait(false);
                return;
        }

        if (request.Method != SipMethods.Options && SipBodies.HasSnapshotRequest(request))
            _ = SendSnapshotAsync(request.Method);
    }

    private async Task SendSnapshotAsync(string method)
    {
        try
        {
            // RFC 3261 §14.1: no new INVITE while the SRS's re-INVITE awaits its ACK (bounded wait).
            if (method == SipMethods.Invite && _ackReceived is { } ack)
                await Task.WhenAny(ack.Task, Task.Delay(_context.Options.NoAnswerTimeout, _context.Time)).ConfigureAwait(false);
            var outcome = await SendMetadataAsync(Settings.Snapshot(), CancellationToken.None).ConfigureAwait(false);
            Log.SnapshotSent(_logger, SrsUri, CallId, method, outcome.Detail);
        }
        catch (Exception ex)
        {
            Log.SnapshotSent(_logger, SrsUri, CallId, method, ex.Message);
        }
    }

    /// <summary>Re-sends the ACK when the SRS retransmits the 2xx to our INVITE (its ACK was lost).</summary>
    public void OnRetransmitted2xx(SipResponse response)
    {
        if (Dialog is not { } dialog || Destination is null || !dialog.Matches(response) || response.CSeq is not { } cseq)
            return;
        Log.ReAck(_logger, SrsUri, CallId, cseq.Sequence);
        _ = SendAckAsync(dialog, cseq.Sequence);
    }

    /// <summary>The ACK to our 2xx that carried an offer (SRS re-INVITE without SDP) brings the SRS's answer.</summary>
    public void OnAck(SipRequest ack)
    {
        _ackReceived?.TrySetResult();
        if (Dialog is { } dialog && dialog.Matches(ack) && SipBodies.ReadSdp(ack, out _) is { } answer)
            _ = ApplyAnswerAsync(answer);
    }

    private async Task AnswerOfferAsync(ServerTransaction transaction, SipRequest request, CancellationToken cancellationToken)
    {
        // Our own offer is out: RFC 3261 §14.2 / RFC 3311 §5.2 glare.
        if (_offerGate.CurrentCount == 0)
        {
            var glare = SipResponse.CreateFor(request, 491).AddHeader("Retry-After", "1");
            await transaction.RespondAsync(glare, cancellationToken).ConfigureAwait(false);
            return;
        }

        ArmExpiry();
        var offer = SipBodies.ReadSdp(request, out _);
        if (offer is not null)
            await ApplyAnswerAsync(offer).ConfigureAwait(false);

        SdpDirection direction;
        ulong version;
        lock (_gate)
        {
            direction = _direction;
            version = _sdpVersion;
        }

        var response = SipResponse.CreateFor(request, 200)
            .AddHeader("Contact", Contact)
            .AddHeader("Allow", AllowValue)
            .AddHeader("Supported", "timer");
        if (SessionTimer.TryRead(request.GetHeader("Session-Expires"), out var interval, out var refresher))
        {
            // RFC 4028 §9: echo the interval; the SRS refreshed, so it stays the refresher unless it named us.
            var who = refresher ?? "uac";
            response = response.AddHeader("Session-Expires", ((long)interval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + ";refresher=" + who)
                .AddHeader("Require", "timer");
        }

        // An INVITE without SDP asks us to offer (our current SDP; its ACK answers). An UPDATE without SDP is a
        // plain refresh: RFC 3311 §5.2 forbids an offer in its 2xx.
        if (offer is not null || request.Method == SipMethods.Invite)
            response = response.WithBody("application/sdp", BuildSdp(direction, version).ToBytes());
        await transaction.RespondAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends an established recorder against the SRC's will and tells the session; false when it had already ended.</summary>
    private bool EndByRemote(RecorderFailure failure)
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

    // RFC 3326: an SRS that says why it hangs up (507 storage full, 408 no media) is reported with its cause and text.
    private static RecorderFailure ByeFailure(SipRequest bye) => SipReason.Find(bye, "SIP") is { } reason
        ? new RecorderFailure(RecorderFailureCause.SrsBye, reason.Cause, $"BYE from SRS: {reason.Text ?? "no text"} (Reason: {reason})")
        : new RecorderFailure(RecorderFailureCause.SrsBye, null, "BYE from SRS");

    private static ValueTask RespondAsync(ServerTransaction transaction, int code, string? reason, CancellationToken cancellationToken) =>
        transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, code, reason), cancellationToken);
}
