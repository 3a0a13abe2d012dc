using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>The established dialog: re-INVITEs (pause/resume), BYE, and the SRS's own in-dialog requests.</summary>
internal sealed partial class RecordingDialog
{
    private static readonly TimeSpan GlareBackoffMin = TimeSpan.FromMilliseconds(2100);

    /// <summary>
    /// Sends a re-INVITE with the same m-lines in <paramref name="direction"/> and an <c>o=</c> version bump
    /// (RFC 3264 §8); one retry after RFC 3261 §14.1 back-off on 491. Never throws except on cancellation.
    /// </summary>
    public async Task<SrsOutcome> ReinviteAsync(SdpDirection direction, CancellationToken cancellationToken)
    {
        await _offerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var dialog = Dialog;
                if (Status != RecorderStatus.Established || dialog is null || Destination is null)
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, null, "recorder is no longer established");

                ulong version;
                lock (_gate)
                {
                    version = ++_sdpVersion;
                    _direction = direction;
                }

                var request = dialog.CreateRequest(SipMethods.Invite)
                    .SetHeader("Contact", _client.ContactValue)
                    .SetHeader("Allow", AllowValue)
                    .SetHeader("Supported", "timer")
                    .WithBody("application/sdp", BuildSdp(direction, version).ToBytes());
                if (SessionTimer.HeaderValue(_client.Options.SessionExpires) is { } sessionExpires)
                    request = request.SetHeader("Session-Expires", sessionExpires);
                Log.SendingReinvite(_logger, SrsUri, CallId, direction);
                var result = await _client.Layer.SendRequestAsync(request, Destination, null, cancellationToken).ConfigureAwait(false);

                if (result.IsSuccess && result.Response is { } ok)
                {
                    await SendAckAsync(dialog, request.CSeq?.Sequence ?? dialog.LocalSequence).ConfigureAwait(false);
                    if (SipBodies.ReadSdp(ok, out _) is { } answer)
                        ApplyAnswer(answer);
                    NegotiatedDirection = direction;
                    return new SrsOutcome(SrsUri, SrsOutcomeKind.Accepted, ok.StatusCode, $"{ok.StatusCode} {ok.ReasonPhrase}");
                }

                if (result.Response is { StatusCode: 491 } && attempt == 0)
                {
                    // RFC 3261 §14.1: the SRC owns the Call-ID, so it waits 2.1 s to 4 s before trying again.
                    var wait = GlareBackoffMin + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1900));
                    await Task.Delay(wait, _client.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var outcome = Map(result, "re-INVITE");
                if (result.Response is { StatusCode: 481 or 408 })
                    EndByRemote($"SRS answered {result.Response.StatusCode} to a re-INVITE: the dialog is gone (RFC 5057)");
                return outcome;
            }
        }
        finally
        {
            _offerGate.Release();
        }
    }

    /// <summary>
    /// RFC 4028 §7.2: when the 2xx names the SRC (uac) as refresher, re-INVITE with the current direction at half
    /// the interval; when it has no Session-Expires, no session timer runs.
    /// </summary>
    private void StartSessionTimer(SipResponse response)
    {
        if (!SessionTimer.TryRead(response.GetHeader("Session-Expires"), out var interval, out var refresher) || refresher != "uac")
            return;
        var half = interval / 2;
        _refreshTimer = _client.Time.CreateTimer(_ => _ = RefreshAsync(), null, half, half);
    }

    private async Task RefreshAsync()
    {
        SdpDirection direction;
        lock (_gate)
            direction = _direction;
        try
        {
            var outcome = await ReinviteAsync(direction, CancellationToken.None).ConfigureAwait(false);
            Log.SessionRefreshed(_logger, SrsUri, CallId, outcome.Detail);
        }
        catch (Exception ex)
        {
            Log.SessionRefreshed(_logger, SrsUri, CallId, ex.Message);
        }
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
            var bye = dialog.CreateRequest(SipMethods.Bye);
            Log.SendingBye(_logger, SrsUri, CallId);
            var send = _client.Layer.SendRequestAsync(bye, Destination!, null, CancellationToken.None);
            var winner = await Task.WhenAny(send, Task.Delay(_client.Options.NoAnswerTimeout, _client.Time)).ConfigureAwait(false);
            if (winner != send)
                return new SrsOutcome(SrsUri, SrsOutcomeKind.Timeout, null, "no answer to BYE in time");
            return Map(await send.ConfigureAwait(false), "BYE");
        }
        catch (Exception ex)
        {
            Log.ByeFailed(_logger, SrsUri, ex);
            return new SrsOutcome(SrsUri, SrsOutcomeKind.TransportError, null, ex.Message);
        }
    }

    /// <summary>Answers one in-dialog request from the SRS (exactly one final response).</summary>
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
                break;
            case SipMethods.Invite:
            case SipMethods.Update:
                await AnswerOfferAsync(transaction, request, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Options:
            case SipMethods.Info:
                await RespondAsync(transaction, 200, null, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var notAllowed = SipResponse.CreateFor(request, 405).AddHeader("Allow", AllowValue);
                await transaction.RespondAsync(notAllowed, cancellationToken).ConfigureAwait(false);
                break;
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

    private async Task AnswerOfferAsync(ServerTransaction transaction, SipRequest request, CancellationToken cancellationToken)
    {
        // Our own re-INVITE is out: RFC 3261 §14.2 glare.
        if (request.Method == SipMethods.Invite && _offerGate.CurrentCount == 0)
        {
            await RespondAsync(transaction, 491, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (SipBodies.ReadSdp(request, out _) is { } offer)
            ApplyAnswer(offer);

        SdpDirection direction;
        ulong version;
        lock (_gate)
        {
            direction = _direction;
            version = _sdpVersion;
        }

        var response = SipResponse.CreateFor(request, 200)
            .AddHeader("Contact", _client.ContactValue)
            .AddHeader("Allow", AllowValue)
            .AddHeader("Supported", "timer")
            .WithBody("application/sdp", BuildSdp(direction, version).ToBytes());
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
