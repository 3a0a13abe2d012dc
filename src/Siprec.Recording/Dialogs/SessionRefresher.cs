using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// RFC 4028 session timers of a recording dialog: the interval the INVITE asks for (raised by a 422, §7.4), then the SRC's
/// refreshes when it is the refresher, or a watch on the SRS's (§10).
/// </summary>
internal sealed class SessionRefresher
{
    private readonly RecordingDialog _dialog;
    private readonly DialogContext _context;
    private readonly ILogger _logger;
    private ITimer? _refreshTimer;
    private ITimer? _expiryTimer;
    private TimeSpan _expiryInterval;

    /// <summary>Creates the session timers of <paramref name="dialog"/>; <paramref name="sessionExpires"/> is the interval to ask for (zero = off).</summary>
    public SessionRefresher(RecordingDialog dialog, DialogContext context, TimeSpan sessionExpires)
    {
        _dialog = dialog;
        _context = context;
        _logger = context.Logger;
        SessionExpires = sessionExpires;
    }

    /// <summary>The <c>Session-Expires</c> the SRC asks for (RFC 4028 §7.1); zero when session timers are off.</summary>
    public TimeSpan SessionExpires { get; private set; }

    /// <summary>The <c>Min-SE</c> the SRC sends with its INVITE (RFC 4028 §4: 90 s unless a 422 named more).</summary>
    public TimeSpan MinSe { get; private set; } = TimeSpan.FromSeconds(90);

    /// <summary>RFC 4028 §7.4: a 422's Min-SE becomes both the interval asked for and the Min-SE of the retried INVITE.</summary>
    public void Raise(TimeSpan minSe)
    {
        SessionExpires = minSe;
        MinSe = minSe;
    }

    /// <summary>
    /// RFC 4028 §7.2/§10: when the 2xx names the SRC (uac) as refresher, re-INVITE with the current direction at half
    /// the interval; when it names the SRS (uas), watch for its refreshes and end the dialog if none comes in time.
    /// </summary>
    public void Start(SipResponse response)
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

    /// <summary>
    /// (Re)arms the watch on the SRS's refreshes (any successful re-INVITE or UPDATE, either way, refreshes the session);
    /// no effect unless the SRS is the refresher. RFC 4028 §10: BYE at the expiry minus min(32 s, interval / 3) when no refresh arrived.
    /// </summary>
    public void ArmExpiry()
    {
        if (_expiryInterval <= TimeSpan.Zero || _dialog.IsDisposed)
            return;
        var due = _expiryInterval - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(32).Ticks, _expiryInterval.Ticks / 3));
        var timer = _context.Time.CreateTimer(_ => _ = ExpireAsync(), null, due, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _expiryTimer, timer)?.Dispose();
    }

    /// <summary>Stops both timers (the dialog is being disposed).</summary>
    public void Stop()
    {
        _refreshTimer?.Dispose();
        _expiryTimer?.Dispose();
    }

    private async Task ExpireAsync()
    {
        if (_dialog.Status != RecorderStatus.Established || _dialog.Dialog is null)
            return;
        var reason = $"session expired: the SRS did not refresh within {_expiryInterval.TotalSeconds:0} s (RFC 4028)";
        await _dialog.EndByRemoteWithByeAsync(new RecorderFailure(RecorderFailureCause.SessionExpired, null, reason)).ConfigureAwait(false);
    }

    private async Task RefreshAsync()
    {
        var direction = _dialog.CurrentDirection;
        try
        {
            var outcome = await _dialog.ReinviteAsync(direction, CancellationToken.None, cause: RecorderFailureCause.RefreshFailed).ConfigureAwait(false);
            if (outcome.Kind == SrsOutcomeKind.Accepted)
                Log.SessionRefreshed(_logger, _dialog.SrsUri, _dialog.CallId, outcome.Detail);
            else
                Log.SessionRefreshFailed(_logger, _dialog.SrsUri, _dialog.CallId, outcome.Detail); // the dialog stays unless RFC 5057 ended it
        }
        catch (Exception ex)
        {
            Log.SessionRefreshed(_logger, _dialog.SrsUri, _dialog.CallId, ex.Message);
        }
    }
}
