using System.Globalization;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// Liveness of an established recorder: an in-dialog OPTIONS every <see cref="DialogSettings.PingInterval"/> (RFC 3261 §11;
/// the keep-alive Oracle SBC and Cisco CUBE send their recorders), each waiting at most <see cref="SrcOptions.PingTimeout"/>,
/// and the media engine's watch of its media (<see cref="MediaEngines.IRecorderMedia.Watch"/>: ICMP port unreachable, RTCP silence, the engine's death).
/// One timer, re-armed only once a ping has its verdict, so pings never overlap; they stop when the dialog ends or is disposed.
/// </summary>
internal sealed partial class RecordingDialog
{
    /// <summary>
    /// Starts pinging an established dialog (called once the session admitted it): the first OPTIONS goes one interval
    /// later. No effect when the interval is zero or the dialog is not established.
    /// </summary>
    public void StartLiveness()
    {
        if (Settings.PingInterval > TimeSpan.Zero)
            ArmPing();
        if (Media is not { } media)
            return;
        var watch = media.Watch(_context.Time, _context.Options, failure => _ = EndByMediaAsync(failure));
        Interlocked.Exchange(ref _mediaWatch, watch)?.Dispose();
        if (Volatile.Read(ref _disposed) != 0 || Status != RecorderStatus.Established)
            watch.Dispose();
    }

    // The media says the recorder is gone: end it like a failed ping, with a bounded BYE in case its signalling still holds state.
    private async Task EndByMediaAsync(RecorderFailure failure)
    {
        try
        {
            if (Dialog is not { } dialog || !EndByRemote(failure))
                return;
            await SendByeAsync(dialog).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.PingFailed(_logger, SrsUri, CallId, ex.Message);
        }
    }

    /// <summary>How long one ping waits: <see cref="SrcOptions.PingTimeout"/>, or the OPTIONS transaction's own timeout (Timer F, 64*T1) if shorter.</summary>
    private TimeSpan PingWait =>
        _context.Options.PingTimeout < InDialogFailure.NoFinalAnswerLimit ? _context.Options.PingTimeout : InDialogFailure.NoFinalAnswerLimit;

    private void ArmPing()
    {
        if (Volatile.Read(ref _disposed) != 0 || Status != RecorderStatus.Established)
            return;
        var timer = _context.Time.CreateTimer(_ => _ = PingAsync(), null, Settings.PingInterval, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _pingTimer, timer)?.Dispose();
        if (Volatile.Read(ref _disposed) != 0)
            StopLiveness(); // disposed while arming: DisposeAsync may have looked before this timer was stored
    }

    private void StopLiveness()
    {
        Interlocked.Exchange(ref _pingTimer, null)?.Dispose();
        Interlocked.Exchange(ref _mediaWatch, null)?.Dispose();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PingAsync()
    {
        try
        {
            if (Status != RecorderStatus.Established || Dialog is not { } dialog || Destination is not { } destination)
                return;
            if (await SendPingAsync(dialog, destination).ConfigureAwait(false) is not { } result)
                return; // the dialog is being disposed: no verdict
            if (InDialogFailure.ClassifyPing(result) is not { } failure)
            {
                Log.PingAnswered(_logger, SrsUri, CallId, result.Response?.StatusCode ?? 0);
                ArmPing();
                return;
            }

            var outcome = result.Response is not null ? SrsOutcome.Of(SrsUri, result, SipMethods.Options)
                : new SrsOutcome(SrsUri, result.Kind == TransactionOutcomeKind.Timeout ? SrsOutcomeKind.Timeout : SrsOutcomeKind.TransportError, null,
                    result.Error ?? "no answer to OPTIONS");
            Log.PingFailed(_logger, SrsUri, CallId, outcome.Detail);
            await ConcludeAsync(dialog, result, outcome, failure, SipMethods.Options, RecorderFailureCause.PingFailed).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A timer callback has no caller to throw to; a ping that cannot even be judged is logged and ends nothing.
            Log.PingFailed(_logger, SrsUri, CallId, ex.Message);
        }
    }

    // One OPTIONS, bounded by PingWait on the client's clock. Null when the dialog or the client is closing meanwhile.
    private async Task<TransactionOutcome?> SendPingAsync(SipDialog dialog, SipTarget destination)
    {
        var wait = PingWait;
        var request = dialog.CreateRequest(SipMethods.Options)
            .SetHeader("Contact", Contact)
            .SetHeader("Accept", "application/sdp")
            .SetHeader("Allow", AllowValue)
            .SetHeader("Supported", "timer");
        using var limit = new CancellationTokenSource(wait, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token, limit.Token);
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
