using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Dialogs;

/// <summary>RFC 4028 session timers of a recording dialog: the SRC's refreshes, or a watch on the SRS's.</summary>
internal sealed partial class RecordingDialog
{
    /// <summary>
    /// RFC 4028 §7.2/§10: when the 2xx names the SRC (uac) as refresher, re-INVITE with the current direction at half
    /// the interval; when it names the SRS (uas), watch for its refreshes and end the dialog if none comes in time.
    /// </summary>
    private void StartSessionTimer(SipResponse response)
    {
        if (!SessionTimer.TryRead(response.GetHeader("Session-Expires"), out var interval, out var refresher))
            return;
        if (refresher == "uac")
        {
            var half = interval / 2;
            _refreshTimer = _context.Time.CreateTimer(_ => _ = RefreshAsync(), null, half, half);
        }
        else if (refresher == "uas")
        {
            _expiryInterval = interval;
            ArmExpiry();
        }
    }

    // RFC 4028 §10: BYE at the expiry minus min(32 s, interval / 3) when no refresh arrived.
    private void ArmExpiry()
    {
        if (_expiryInterval <= TimeSpan.Zero || Volatile.Read(ref _disposed) != 0)
            return;
        var due = _expiryInterval - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(32).Ticks, _expiryInterval.Ticks / 3));
        var timer = _context.Time.CreateTimer(_ => _ = ExpireAsync(), null, due, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _expiryTimer, timer)?.Dispose();
    }

    private async Task ExpireAsync()
    {
        if (Status != RecorderStatus.Established || Dialog is not { } dialog)
            return;
        var reason = $"session expired: the SRS did not refresh within {_expiryInterval.TotalSeconds:0} s (RFC 4028)";
        if (EndByRemote(new RecorderFailure(RecorderFailureCause.SessionExpired, null, reason)))
            await SendByeAsync(dialog).ConfigureAwait(false);
    }

    private async Task RefreshAsync()
    {
        SdpDirection direction;
        lock (_gate)
            direction = _direction;
        try
        {
            var outcome = await ReinviteAsync(direction, CancellationToken.None, cause: RecorderFailureCause.RefreshFailed).ConfigureAwait(false);
            if (outcome.Kind == SrsOutcomeKind.Accepted)
                Log.SessionRefreshed(_logger, SrsUri, CallId, outcome.Detail);
            else
                Log.SessionRefreshFailed(_logger, SrsUri, CallId, outcome.Detail); // the dialog stays unless RFC 5057 ended it
        }
        catch (Exception ex)
        {
            Log.SessionRefreshed(_logger, SrsUri, CallId, ex.Message);
        }
    }
}
