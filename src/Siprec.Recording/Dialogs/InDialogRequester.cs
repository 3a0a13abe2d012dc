using Microsoft.Extensions.Logging;
using Siprec.Recording.Metadata;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// The SRC's requests inside an established recording dialog (RFC 3261 §12.2.1): re-INVITE and UPDATE offers (pause/resume,
/// metadata updates, RFC 7866 §7.1.2), their failures (RFC 5057), BYE, and the ACK of every 2xx to an INVITE (RFC 3261 §13.2.2.4).
/// </summary>
internal sealed class InDialogRequester
{
    private readonly RecordingDialog _dialog;
    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private readonly DialogDigest _digest;
    private readonly SessionRefresher _refresher;
    private readonly SemaphoreSlim _offerGate = new(1, 1);

    /// <summary>Creates the requester of <paramref name="dialog"/>; <paramref name="digest"/> answers the SRS's challenges.</summary>
    public InDialogRequester(RecordingDialog dialog, DialogContext context, DialogDigest digest, SessionRefresher refresher)
    {
        _refresher = refresher;
        _dialog = dialog;
        _context = context;
        _logger = context.Logger;
        _digest = digest;
    }

    /// <summary>True while the SRC's own offer (re-INVITE or UPDATE) awaits its answer: an SRS offer meanwhile is glare (RFC 3261 §14.2).</summary>
    public bool OfferOutstanding => _offerGate.CurrentCount == 0;

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
    public Task<SrsOutcome> ReinviteAsync(SdpDirection direction, CancellationToken cancellationToken, byte[]? metadata, RecorderFailureCause cause)
    {
        return WithOfferGateAsync(() =>
        {
            var version = _dialog.NextOffer(direction);
            var sdp = _dialog.BuildSdp(direction, version).ToBytes();
            var request = _dialog.Dialog!.CreateRequest(SipMethods.Invite)
                .SetHeader("Contact", _dialog.Contact)
                .SetHeader("Allow", RecordingDialog.AllowValue)
                .SetHeader("Supported", "timer");
            if (metadata is null)
            {
                request = request.WithBody("application/sdp", sdp);
            }
            else
            {
                var body = MultipartBody.Build(
                    [MimePart.Create("application/sdp", sdp), MimePart.Create(RecordingMetadata.ContentType, metadata, "recording-session")], out var boundary);
                request = request.WithBody("multipart/mixed;boundary=" + SipBodies.QuoteBoundary(boundary), body);
            }

            if (SessionTimer.HeaderValue(_refresher.SessionExpires) is { } sessionExpires)
                request = request.SetHeader("Session-Expires", sessionExpires);
            Log.SendingReinvite(_logger, _dialog.SrsUri, _dialog.CallId, direction);
            return request;
        }, ok =>
        {
            if (SipBodies.ReadSdp(ok, out _) is { } answer)
                _ = _dialog.ApplyAnswerAsync(answer);
            _dialog.NegotiatedDirection = direction;
        }, "re-INVITE", cause, cancellationToken);
    }

    /// <summary>Sends a metadata document in an UPDATE without SDP (RFC 3311), for an SRS that allows it.</summary>
    public Task<SrsOutcome> UpdateAsync(byte[] metadata, CancellationToken cancellationToken)
    {
        return WithOfferGateAsync(() =>
        {
            Log.SendingMetadataUpdate(_logger, _dialog.SrsUri, _dialog.CallId);
            return _dialog.Dialog!.CreateRequest(SipMethods.Update)
                .SetHeader("Contact", _dialog.Contact)
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
                if (_dialog.Status != RecorderStatus.Established || _dialog.Dialog is not { } dialog || _dialog.Destination is null)
                    return new SrsOutcome(_dialog.SrsUri, SrsOutcomeKind.Cancelled, null, "recorder is no longer established");

                var request = _digest.Authorize(build(), challenge);
                challenge = null;
                var result = await SendInDialogAsync(request, _dialog.Destination, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess && result.Response is { } ok)
                {
                    if (request.Method == SipMethods.Invite)
                        await SendAckAsync(dialog, request.CSeq?.Sequence ?? dialog.LocalSequence).ConfigureAwait(false);
                    _refresher.ArmExpiry(); // RFC 4028 §10: any successful re-INVITE or UPDATE refreshes the session
                    onSuccess(ok);
                    return new SrsOutcome(_dialog.SrsUri, SrsOutcomeKind.Accepted, ok.StatusCode, $"{ok.StatusCode} {ok.ReasonPhrase}");
                }

                if (result.Response is { StatusCode: 401 or 407 } r && attempt < 2 && _digest.HasCredentials && request.GetHeader(DialogDigest.AuthorizationHeaderOf(r)) is null)
                {
                    challenge = r;
                    continue;
                }

                var outcome = SrsOutcome.Of(_dialog.SrsUri, result, what);
                var failure = InDialogFailure.Classify(result, retried, _context.Options.MaxRetryAfter);
                if (failure.Effect != InDialogFailureEffect.Retry)
                    return await ConcludeAsync(dialog, result, outcome, failure, what, cause).ConfigureAwait(false);
                retried = true;
                Log.RetryingInDialog(_logger, what, _dialog.SrsUri, _dialog.CallId, outcome.Detail, failure.RetryDelay.TotalMilliseconds, failure.Rule);
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
    public async Task<SrsOutcome> ConcludeAsync(SipDialog dialog, TransactionOutcome result, SrsOutcome outcome, InDialogFailure failure, string what,
        RecorderFailureCause cause)
    {
        if (failure.Effect == InDialogFailureEffect.TransactionOnly)
            return outcome;
        var answer = result.Response is { } r ? $"SRS answered {r.StatusCode} {r.ReasonPhrase} to {what}"
            : result.Kind == TransactionOutcomeKind.TransportError ? $"{what} could not be sent: {outcome.Detail} (transport error)"
            : $"{outcome.Detail} (transaction timeout)";
        if (!_dialog.EndByRemote(new RecorderFailure(cause, result.Response?.StatusCode, $"{answer}: {failure.Rule}")))
            return outcome; // a stop or an SRS BYE ended it meanwhile, and saw to the BYE
        if (failure.Effect == InDialogFailureEffect.UsageTerminated)
            await SendByeAsync(dialog).ConfigureAwait(false);
        return outcome with { Detail = $"{outcome.Detail}; recorder ended ({failure.Rule})" };
    }

    /// <summary>Sends BYE and waits for its answer at most the no-answer timeout; never throws.</summary>
    public async Task<SrsOutcome> ByeAsync()
    {
        var dialog = _dialog.Dialog;
        if (dialog is null || _dialog.Destination is null)
            return new SrsOutcome(_dialog.SrsUri, SrsOutcomeKind.Cancelled, null, "no dialog to end");
        return await SendByeAsync(dialog).ConfigureAwait(false);
    }

    /// <summary>Sends BYE in <paramref name="dialog"/> (one digest answer) and waits for its answer at most the no-answer timeout; never throws.</summary>
    public async Task<SrsOutcome> SendByeAsync(SipDialog dialog)
    {
        try
        {
            SipResponse? challenge = null;
            for (var attempt = 0; ; attempt++)
            {
                var bye = _digest.Authorize(dialog.CreateRequest(SipMethods.Bye), challenge);
                Log.SendingBye(_logger, _dialog.SrsUri, _dialog.CallId);
                var send = _context.Layer.SendRequestAsync(bye, _dialog.Destination!, null, CancellationToken.None);
                var winner = await Task.WhenAny(send, Task.Delay(_context.Options.NoAnswerTimeout, _context.Time)).ConfigureAwait(false);
                if (winner != send)
                    return new SrsOutcome(_dialog.SrsUri, SrsOutcomeKind.Timeout, null, "no answer to BYE in time");
                var result = await send.ConfigureAwait(false);
                if (result.Response is { StatusCode: 401 or 407 } r && attempt == 0 && _digest.HasCredentials)
                {
                    challenge = r;
                    continue;
                }

                return SrsOutcome.Of(_dialog.SrsUri, result, "BYE");
            }
        }
        catch (Exception ex)
        {
            Log.ByeFailed(_logger, _dialog.SrsUri, ex);
            return new SrsOutcome(_dialog.SrsUri, SrsOutcomeKind.TransportError, null, ex.Message);
        }
    }

    /// <summary>Re-sends the ACK when the SRS retransmits the 2xx to our INVITE (its ACK was lost).</summary>
    public void OnRetransmitted2xx(SipResponse response)
    {
        if (_dialog.Dialog is not { } dialog || _dialog.Destination is null || !dialog.Matches(response) || response.CSeq is not { } cseq)
            return;
        Log.ReAck(_logger, _dialog.SrsUri, _dialog.CallId, cseq.Sequence);
        _ = SendAckAsync(dialog, cseq.Sequence);
    }

    /// <summary>ACKs the 2xx to the INVITE with CSeq <paramref name="inviteSequence"/> at the dialog's destination (RFC 3261 §13.2.2.4).</summary>
    public Task SendAckAsync(SipDialog dialog, uint inviteSequence) => SendAckAsync(dialog, inviteSequence, _dialog.Destination!);

    /// <summary>ACKs the 2xx to the INVITE with CSeq <paramref name="inviteSequence"/> at <paramref name="to"/> (RFC 3261 §13.2.2.4).</summary>
    public async Task SendAckAsync(SipDialog dialog, uint inviteSequence, SipTarget to)
    {
        var ack = dialog.CreateAck(inviteSequence);
        await _context.Layer.SendAckAsync(ack, to, CancellationToken.None).ConfigureAwait(false);
    }
}
