using System.Globalization;
using Siprec.Recording.Metadata;
using Siprec.Sip.Auth;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;

namespace Siprec.Recording.Dialogs;

/// <summary>The established dialog: offers (pause/resume, metadata updates), and the SRS's own in-dialog requests.</summary>
internal sealed partial class RecordingDialog
{
    private TaskCompletionSource? _ackReceived;
    private int _nonceCount;

    /// <summary>
    /// Sends a re-INVITE with the same m-lines in <paramref name="direction"/> and an <c>o=</c> version bump
    /// (RFC 3264 §8); with <paramref name="metadata"/>, a multipart body carrying it too (RFC 7866 §7.1.2).
    /// 491 glare is retried once after RFC 3261 §14.1 back-off. Never throws except on cancellation.
    /// </summary>
    public Task<SrsOutcome> ReinviteAsync(SdpDirection direction, CancellationToken cancellationToken, byte[]? metadata = null) =>
        WithOfferGateAsync(() =>
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
                ApplyAnswer(answer);
            NegotiatedDirection = direction;
        }, "re-INVITE", cancellationToken);

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
        }, _ => { }, "UPDATE", cancellationToken);
    }

    private async Task<SrsOutcome> WithOfferGateAsync(Func<SipRequest> build, Action<SipResponse> onSuccess, string what, CancellationToken cancellationToken)
    {
        await _offerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SipResponse? challenge = null;
            for (var attempt = 0; ; attempt++)
            {
                if (Status != RecorderStatus.Established || Dialog is not { } dialog || Destination is null)
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, null, "recorder is no longer established");

                var request = Authorize(build(), challenge);
                challenge = null;
                var result = await _client.Layer.SendRequestAsync(request, Destination, null, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess && result.Response is { } ok)
                {
                    if (request.Method == SipMethods.Invite)
                        await SendAckAsync(dialog, request.CSeq?.Sequence ?? dialog.LocalSequence).ConfigureAwait(false);
                    ArmExpiry(); // RFC 4028 §10: any successful re-INVITE or UPDATE refreshes the session
                    onSuccess(ok);
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Accepted, ok.StatusCode, $"{ok.StatusCode} {ok.ReasonPhrase}");
                }

                if (result.Response is { StatusCode: 491 } && attempt == 0)
                {
                    // RFC 3261 §14.1: the SRC owns the Call-ID (it sent the INVITE), so it waits 2.1 s to 4 s.
                    var wait = TimeSpan.FromMilliseconds(Random.Shared.Next(2100, 4001));
                    Log.Glare(_logger, SrsUri, CallId, wait.TotalMilliseconds);
                    await Task.Delay(wait, _client.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (result.Response is { StatusCode: 401 or 407 } r && attempt < 2 && Settings.Credentials is not null && request.GetHeader(AuthorizationHeaderOf(r)) is null)
                {
                    challenge = r;
                    continue;
                }

                var outcome = Map(result, what);
                if (result.Response is { StatusCode: 481 or 408 })
                    EndByRemote($"SRS answered {result.Response.StatusCode} to {what}: the dialog is gone (RFC 5057)");
                return outcome;
            }
        }
        finally
        {
            _offerGate.Release();
        }
    }

    /// <summary>
    /// Adds the digest answer to <paramref name="challenge"/> (RFC 3261 §22.2, counting uses of its nonce) when there is
    /// one and the credentials fit; otherwise returns the request unchanged, so the SRS's next answer is reported.
    /// </summary>
    private SipRequest Authorize(SipRequest request, SipResponse? challenge)
    {
        if (challenge is null || Settings.Credentials is not { } credentials)
            return request;
        var count = Interlocked.Increment(ref _nonceCount);
        var cnonce = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        if (!DigestAuthenticator.TryAuthorize(challenge, request, credentials, count, cnonce, out var header, out var error))
        {
            Log.AuthenticationFailed(_logger, SrsUri, request.Method, error ?? "unusable challenge");
            return request;
        }

        return request.AddHeader(header.Name, header.Value);
    }

    private static string AuthorizationHeaderOf(SipResponse challenge) => challenge.StatusCode == 407 ? "Proxy-Authorization" : "Authorization";

    /// <summary>Sends BYE and waits for its answer at most the no-answer timeout; never throws.</summary>
    public async Task<SrsOutcome> ByeAsync()
    {
        var dialog = Dialog;
        if (dialog is null || Destination is null)
            return new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, null, "no dialog to end");
        return await SendByeAsync(dialog).ConfigureAwait(false);
    }

    private async Task<SrsOutcome> SendByeAsync(Sip.Dialogs.Dialog dialog)
    {
        try
        {
            SipResponse? challenge = null;
            for (var attempt = 0; ; attempt++)
            {
                var bye = Authorize(dialog.CreateRequest(SipMethods.Bye), challenge);
                Log.SendingBye(_logger, SrsUri, CallId);
                var send = _client.Layer.SendRequestAsync(bye, Destination!, null, CancellationToken.None);
                var winner = await Task.WhenAny(send, Task.Delay(_client.Options.NoAnswerTimeout, _client.Time)).ConfigureAwait(false);
                if (winner != send)
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Timeout, null, "no answer to BYE in time");
                var result = await send.ConfigureAwait(false);
                if (result.Response is { StatusCode: 401 or 407 } r && attempt == 0 && Settings.Credentials is not null)
                {
                    challenge = r;
                    continue;
                }

                return Map(result, "BYE");
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
                EndByRemote("BYE from SRS");
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
                await Task.WhenAny(ack.Task, Task.Delay(_client.Options.NoAnswerTimeout, _client.Time)).ConfigureAwait(false);
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
            ApplyAnswer(answer);
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
            ApplyAnswer(offer);

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

    private void EndByRemote(string reason)
    {
        lock (_gate)
        {
            if (_status != RecorderStatus.Established)
                return;
            _status = RecorderStatus.Ended;
        }

        Log.RemoteEnded(_logger, SrsUri, CallId, reason);
        RemoteEnded?.Invoke(this, reason);
    }

    private static ValueTask RespondAsync(ServerTransaction transaction, int code, string? reason, CancellationToken cancellationToken) =>
        transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, code, reason), cancellationToken);

    private SrsOutcome Map(TransactionOutcome result, string what) => result.Kind switch
    {
        TransactionOutcomeKind.Timeout => new SrsOutcome(SrsUri, SrsOutcomeKind.Timeout, null, $"no answer to {what}"),
        TransactionOutcomeKind.TransportError => new SrsOutcome(SrsUri, SrsOutcomeKind.TransportError, null, result.Error ?? "transport error"),
        _ when result.Response is { } r => new SrsOutcome(SrsUri, result.IsSuccess ? SrsOutcomeKind.Accepted : SrsOutcomeKind.Rejected, r.StatusCode, $"{r.StatusCode} {r.ReasonPhrase}"),
        _ => new SrsOutcome(SrsUri, SrsOutcomeKind.TransportError, null, result.Error ?? "no response"),
    };
}
