using System.Globalization;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// The UAS side of an established recording dialog (RFC 3261 §12.2.2): answers the SRS's own in-dialog requests (BYE,
/// re-INVITE and UPDATE offers with glare, OPTIONS, INFO) and its snapshot requests (RFC 7866 §9.2).
/// </summary>
internal sealed class InDialogResponder
{
    private readonly RecordingDialog _dialog;
    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private readonly InDialogRequester _requester;
    private readonly SessionRefresher _refresher;
    private TaskCompletionSource? _ackReceived;

    /// <summary>Creates the responder of <paramref name="dialog"/>; <paramref name="requester"/> tells whether an offer of the SRC's is out.</summary>
    public InDialogResponder(RecordingDialog dialog, DialogContext context, InDialogRequester requester, SessionRefresher refresher)
    {
        _dialog = dialog;
        _context = context;
        _logger = context.Logger;
        _requester = requester;
        _refresher = refresher;
    }

    /// <summary>
    /// Answers one in-dialog request from the SRS (exactly one final response). A snapshot request in an INVITE,
    /// UPDATE or INFO is answered first, then a new complete snapshot is sent (RFC 7866 §9.2).
    /// </summary>
    public async Task HandleRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var dialog = _dialog.Dialog;
        if (dialog is null || _dialog.Status != RecorderStatus.Established || !dialog.Matches(request))
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
                _dialog.EndByRemote(ByeFailure(request));
                return;
            case SipMethods.Invite:
                _ackReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await AnswerOfferAsync(transaction, request, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Update:
                await AnswerOfferAsync(transaction, request, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 200).AddHeader("Allow", RecordingDialog.AllowValue).AddHeader("Supported", "timer")
                    .AddHeader("Accept", RecordingDialog.AcceptValue), cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Info:
                await RespondAsync(transaction, 200, null, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 405).AddHeader("Allow", RecordingDialog.AllowValue), cancellationToken).ConfigureAwait(false);
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
            var outcome = await _dialog.SendMetadataAsync(_dialog.Settings.Snapshot(), CancellationToken.None).ConfigureAwait(false);
            Log.SnapshotSent(_logger, _dialog.SrsUri, _dialog.CallId, method, outcome.Detail);
        }
        catch (Exception ex)
        {
            Log.SnapshotSent(_logger, _dialog.SrsUri, _dialog.CallId, method, ex.Message);
        }
    }

    /// <summary>The ACK to our 2xx that carried an offer (SRS re-INVITE without SDP) brings the SRS's answer.</summary>
    public void OnAck(SipRequest ack)
    {
        _ackReceived?.TrySetResult();
        if (_dialog.Dialog is { } dialog && dialog.Matches(ack) && SipBodies.ReadSdp(ack, out _) is { } answer)
            _ = _dialog.ApplyAnswerAsync(answer);
    }

    private async Task AnswerOfferAsync(ServerTransaction transaction, SipRequest request, CancellationToken cancellationToken)
    {
        // Our own offer is out: RFC 3261 §14.2 / RFC 3311 §5.2 glare.
        if (_requester.OfferOutstanding)
        {
            var glare = SipResponse.CreateFor(request, 491).AddHeader("Retry-After", "1");
            await transaction.RespondAsync(glare, cancellationToken).ConfigureAwait(false);
            return;
        }

        _refresher.ArmExpiry();
        var offer = SipBodies.ReadSdp(request, out _);
        if (offer is not null)
            await _dialog.ApplyAnswerAsync(offer).ConfigureAwait(false);

        var (direction, version) = _dialog.CurrentOffer();

        var response = SipResponse.CreateFor(request, 200)
            .AddHeader("Contact", _dialog.Contact)
            .AddHeader("Allow", RecordingDialog.AllowValue)
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
            response = response.WithBody("application/sdp", _dialog.BuildSdp(direction, version).ToBytes());
        await transaction.RespondAsync(response, cancellationToken).ConfigureAwait(false);
    }

    // RFC 3326: an SRS that says why it hangs up (507 storage full, 408 no media) is reported with its cause and text.
    private static RecorderFailure ByeFailure(SipRequest bye) => SipReason.Find(bye, "SIP") is { } reason
        ? new RecorderFailure(RecorderFailureCause.SrsBye, reason.Cause, $"BYE from SRS: {reason.Text ?? "no text"} (Reason: {reason})")
        : new RecorderFailure(RecorderFailureCause.SrsBye, null, "BYE from SRS");

    private static ValueTask RespondAsync(ServerTransaction transaction, int code, string? reason, CancellationToken cancellationToken) =>
        transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, code, reason), cancellationToken);
}
