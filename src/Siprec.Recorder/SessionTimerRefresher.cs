using System.Globalization;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Messages;

namespace Siprec.Recorder;

/// <summary>The SRS as the UAS of RFC 4028: the session timer it answers with, its own refreshes, and the end of a session not refreshed.</summary>
internal sealed class SessionTimerRefresher
{
    /// <summary>The smallest Session-Expires the SRS accepts, in seconds (RFC 4028 §5: Min-SE, 90 by default).</summary>
    public const int MinSessionExpires = 90;

    private readonly RecordingServerOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<RecorderSession, SessionEnd, string, Task> _endBySrs;

    /// <param name="options">The server's options: <c>SessionExpires</c> and the transaction timers.</param>
    /// <param name="time">Clock of the refresh's transaction timeout.</param>
    /// <param name="endBySrs">Ends a session the SRS can no longer prove alive: finalize, then BYE with the reason.</param>
    public SessionTimerRefresher(RecordingServerOptions options, TimeProvider time, Func<RecorderSession, SessionEnd, string, Task> endBySrs)
    {
        _options = options;
        _time = time;
        _endBySrs = endBySrs;
    }

    /// <summary>
    /// Negotiates the session timer for the 2xx to <paramref name="request"/> (RFC 4028 §9, see <see cref="SessionTimerAnswer.For"/>)
    /// and arms it: the SRS ends the session when the SRC, as refresher, does not refresh in time, or refreshes itself at half
    /// the interval when it is the refresher. Returns what the 2xx must say (null: no timer).
    /// </summary>
    public SessionTimerAnswer? Arm(RecorderSession session, SipRequest request)
    {
        var answer = SessionTimerAnswer.For(request, (int)_options.SessionExpires.TotalSeconds);
        Arm(session, answer);
        return answer;
    }

    public static SipResponse WithSessionTimer(SipResponse response, SessionTimerAnswer? answer)
    {
        if (answer is null) return response;
        // RFC 4028 §9: Require: timer only towards an SRC that supports timers; refresher=uac obliges it to refresh.
        if (answer.RequireTimer) response = response.AddHeader("Require", "timer");
        return response.AddHeader("Session-Expires", answer.HeaderValue);
    }

    private void Arm(RecorderSession session, SessionTimerAnswer? answer) =>
        session.Timers.ArmExpiry(answer?.Seconds, () => OnSessionExpired(session),
            answer is { SrsRefreshes: true } ? () => _ = RefreshAsync(session, answer) : null);

    private void OnSessionExpired(RecorderSession session) =>
        _ = _endBySrs(session, SessionEnd.SessionExpired, "no session refresh from the SRC before the session timer ran out (RFC 4028 §10)");

    /// <summary>
    /// The SRS's own session refresh (RFC 4028 §10, refresher=uas): an UPDATE without a body when the SRC allows UPDATE,
    /// else a re-INVITE offering the session's current SDP unchanged (then ACKed). A 2xx re-arms the timer; anything else
    /// (no answer, 408, 481, a rejection) ends the session, since the SRS can no longer prove the SRC is there.
    /// </summary>
    private async Task RefreshAsync(RecorderSession session, SessionTimerAnswer answer)
    {
        if (session.Listener is not { } listener || session.IsCompleted) return;
        var targets = SrsListeners.ByeTargets(session, listener.Bound.Transport);
        var invite = !session.SrcAllowsUpdate;
        SipRequest refresh;
        lock (session.Dialog) refresh = session.Dialog.CreateRequest(invite ? SipMethods.Invite : SipMethods.Update);
        refresh = SrsResponses.Capabilities(refresh.AddHeader("Session-Expires", answer.HeaderValue).AddHeader("Min-SE", MinSessionExpires.ToString(CultureInfo.InvariantCulture)));
        if (invite) refresh = refresh.WithBody("application/sdp", session.Answer.ToBytes());
        string failure;
        try
        {
            using var timeout = new CancellationTokenSource(_options.Transactions.T1 * 64, _time);
            var outcome = await listener.Layer.SendRequestAsync(refresh, targets, null, timeout.Token).ConfigureAwait(false);
            if (outcome.Response is { StatusCode: >= 200 and < 300 } ok)
            {
                if (invite && outcome.Target is { } target)
                {
                    SipRequest ack;
                    lock (session.Dialog) ack = session.Dialog.CreateAck(refresh.CSeq!.Value.Sequence);
                    await listener.Layer.SendAckAsync(ack, target, CancellationToken.None).ConfigureAwait(false);
                }
                Arm(session, answer);
                return;
            }
            failure = outcome.Response is { } r ? $"{r.StatusCode} {r.ReasonPhrase}" : outcome.Error ?? outcome.Kind.ToString();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex.Message;
        }
        await _endBySrs(session, SessionEnd.SessionExpired, $"the SRS's session refresh ({refresh.Method}) failed: {failure} (RFC 4028 §10)").ConfigureAwait(false);
    }
}
