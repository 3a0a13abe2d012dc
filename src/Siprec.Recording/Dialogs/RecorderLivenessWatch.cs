using System.Globalization;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// Liveness of an established recorder, so that a dead SRS is noticed (DESIGN "No silent loss"): an in-dialog OPTIONS every <see cref="DialogSettings.PingInterval"/> (RFC 3261 §11;
/// the keep-alive Oracle SBC and Cisco CUBE send their recorders), each waiting at most <see cref="SrcOptions.PingTimeout"/>,
/// and the media engine's watch of its media (<see cref="MediaEngines.IRecorderMedia.Watch"/>: ICMP port unreachable, RTCP silence, the engine's death).
/// One timer, re-armed only once a ping has its verdict, so pings never overlap; they stop when the dialog ends or is disposed.
/// </summary>
internal sealed class RecorderLivenessWatch
{
    private readonly RecordingDialog _dialog;
    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private readonly InDialogRequester _requester;
    private readonly CancellationToken _closing;
    private ITimer? _pingTimer;
    private IDisposable? _mediaWatch;

    /// <summary>Creates the watch of <paramref name="dialog"/>; <paramref name="closing"/> is cancelled when the dialog is disposed (a ping then has no verdict).</summary>
    public RecorderLivenessWatch(RecordingDialog dialog, DialogContext context, InDialogRequester requester, CancellationToken closing)
    {
        _dialog = dialog;
        _context = context;
        _logger = context.Logger;
        _requester = requester;
        _closing = closing;
    }

    /// <summary>
    /// Starts pinging an established dialog (called once the session admitted it): the first OPTIONS goes one interval
    /// later. No effect when the interval is zero or the dialog is not established.
    /// </summary>
    public void Start()
    {
        if (_dialog.Settings.PingInterval > TimeSpan.Zero)
            ArmPing();
        if (_dialog.Media is not { } media)
            return;
        var watch = media.Watch(_context.Time, _context.Options, failure => _ = EndByMediaAsync(failure));
        Interlocked.Exchange(ref _mediaWatch, watch)?.Dispose();
        if (_dialog.IsDisposed || _dialog.Status != RecorderStatus.Established)
            watch.Dispose();
    }

    // The media says the recorder is gone: end it like a failed ping, with a bounded BYE in case its signalling still holds state.
    private async Task EndByMediaAsync(RecorderFailure failure)
    {
        try
        {
            await _dialog.EndByRemoteWithByeAsync(failure).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.PingFailed(_logger, _dialog.SrsUri, _dialog.CallId, ex.Message);
        }
    }

    /// <summary>How long one ping waits: <see cref="SrcOptions.PingTimeout"/>, or the OPTIONS transaction's own timeout (Timer F, 64*T1) if shorter.</summary>
    private TimeSpan PingWait =>
        _context.Options.PingTimeout < InDialogFailure.NoFinalAnswerLimit ? _context.Options.PingTimeout : InDialogFailure.NoFinalAnswerLimit;

    private void ArmPing()
    {
        if (_dialog.IsDisposed || _dialog.Status != RecorderStatus.Established)
            return;
        var timer = _context.Time.CreateTimer(_ => _ = PingAsync(), null, _dialog.Settings.PingInterval, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _pingTimer, timer)?.Dispose();
        if (_dialog.IsDisposed)
            Stop(); // disposed while arming: DisposeAsync may have looked before this timer was stored
    }

    /// <summary>Stops the pings and the media watch (the dialog is being disposed; it then cancels <c>closing</c>).</summary>
    public void Stop()
    {
        Interlocked.Exchange(ref _pingTimer, null)?.Dispose();
        Interlocked.Exchange(ref _mediaWatch, null)?.Dispose();
    }

    private async Task PingAsync()
    {
        try
        {
            if (_dialog.Status != RecorderStatus.Established || _dialog.Dialog is not { } dialog || _dialog.Destination is not { } destination)
                return;
            if (await SendPingAsync(dialog, destination).ConfigureAwait(false) is not { } result)
                return; // the dialog is being disposed: no verdict
            if (InDialogFailure.ClassifyPing(result) is not { } failure)
            {
                Log.PingAnswered(_logger, _dialog.SrsUri, _dialog.CallId, result.Response?.StatusCode ?? 0);
                ArmPing();
                return;
            }

            var outcome = result.Response is not null ? SrsOutcome.Of(_dialog.SrsUri, result, SipMethods.Options)
                : new SrsOutcome(_dialog.SrsUri, result.Kind == TransactionOutcomeKind.Timeout ? SrsOutcomeKind.Timeout : SrsOutcomeKind.TransportError, null,
                    result.Error ?? "no answer to OPTIONS");
            Log.PingFailed(_logger, _dialog.SrsUri, _dialog.CallId, outcome.Detail);
            await _requester.ConcludeAsync(dialog, result, outcome, failure, SipMethods.Options, RecorderFailureCause.PingFailed).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A timer callback has no caller to throw to; a ping that cannot even be judged is logged and ends nothing.
            Log.PingFailed(_logger, _dialog.SrsUri, _dialog.CallId, ex.Message);
        }
    }

    // One OPTIONS, bounded by PingWait on the client's clock. Null when the dialog or the client is closing meanwhile.
    private async Task<TransactionOutcome?> SendPingAsync(SipDialog dialog, SipTarget destination)
    {
        var wait = PingWait;
        var request = dialog.CreateRequest(SipMethods.Options)
            .SetHeader("Contact", _dialog.Contact)
            .SetHeader("Accept", "application/sdp")
            .SetHeader("Allow", RecordingDialog.AllowValue)
            .SetHeader("Supported", "timer");
        using var limit = new CancellationTokenSource(wait, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_closing, limit.Token);
        try
        {
            return await _context.Layer.SendRequestAsync(request, destination, null, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_closing.IsCancellationRequested)
        {
            return new TransactionOutcome(TransactionOutcomeKind.Timeout, null,
                string.Create(CultureInfo.InvariantCulture, $"no answer to OPTIONS within {wait.TotalSeconds:0.###} s"));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
    }
}
