using System.Globalization;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Messages;

namespace Siprec.Recorder;

/// <summary>The SRS as the UAS of RFC 4028: the session timer it answers with, its own refreshes, and the end of a session not refreshed.</summary>
public sealed partial class RecordingServer
{
    /// <summary>
    /// Negotiates the session timer for the 2xx to <paramref name="request"/> (RFC 4028 §9, see <see cref="SessionTimerAnswer.For"/>)
    /// and arms it: the SRS ends the session when the SRC, as refresher, does not refresh in time, or refreshes itself at half
    /// the interval when it is the refresher. Returns what the 2xx must say (null: no timer).
    /// </summary>
    private SessionTimerAnswer? ArmSessionTimer(RecorderSession session, SipRequest request)
    {
        var answer = SessionTimerAnswer.For(request, (int)_options.SessionExpires.TotalSeconds);
        ArmSessionTimer(session, answer);
        return answer;
    }

    private void ArmSessionTimer(RecorderSession session, SessionTimerAnswer? answer) =>
        session.Timers.ArmExpiry(answer?.Seconds, () => OnSessionExpired(session),
            answer is { SrsRefreshes: true } ? () => _ = RefreshAsync(session, answer) : null);

    private static SipResponse WithSessionTimer(SipResponse response, SessionTimerAnswer? answer)
    {
        if (answer is null) return response;
        // RFC 4028 §9: Require: timer only towards an SRC that supports timers; refresher=uac obliges it to refresh.
        if (answer.RequireTimer) response = response.AddHeader("Require", "timer");
        return response.AddHeader("Session-Expires", answer.HeaderValue);
    }

    private void OnSessionExpired(RecorderSession session) =>
        _ = EndBySrsAsync(session, SessionEnd.SessionExpired, "no session refresh from the SRC before the session timer ran out (RFC 4028 §10)");

    /// <summary>
    /// The SRS's own session refresh (RFC 4028 §10, refresher=uas): an UPDATE without a body when the SRC allows UPDATE,
    /// else a re-INVITE offering the session's current SDP unchanged (then ACKed). A 2xx re-arms the timer; anything else
    /// (no answer, 408, 481, a rejection) ends the session, since the SRS can no longer prove the SRC is there.
    /// </summary>
    private async Task RefreshAsync(RecorderSession session, SessionTimerAnswer answer)
    {
        if (session.Listener is not { } listener || session.IsCompleted) return;
        var targets = ByeTargets(session, listener.Bound.Transport);
        var invite = !session.SrcAllowsUpdate;
        SipRequest refresh;
        lock (session.Dialog) refresh = session.Dialog.CreateRequest(invite ? SipMethods.Invite : SipMethods.Update);
        refresh = Capabilities(refresh.AddHeader("Session-Expires", answer.HeaderValue).AddHeader("Min-SE", MinSessionExpires.ToString(CultureInfo.InvariantCulture)));
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
                ArmSessionTimer(session, answer);
                return;
            }
            failure = outcome.Response is { } r ? $"{r.StatusCode} {r.ReasonPhrase}" : outcome.Error ?? outcome.Kind.ToString();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex.Message;
        }
        await EndBySrsAsync(session, SessionEnd.SessionExpired, $"the SRS's session refresh ({refresh.Method}) failed: {failure} (RFC 4028 §10)").ConfigureAwait(false);
    }

    private static SipRequest Capabilities(SipRequest request) => request
        .AddHeader("Allow", AllowedMethods)
        .AddHeader("Supported", "siprec, timer");
}
