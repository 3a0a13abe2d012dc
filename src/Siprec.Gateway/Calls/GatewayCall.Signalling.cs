using Siprec.Gateway.RecordingControl;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Calls;

/// <summary>The call's in-dialog SIP side (RFC 3261 §12.2, §15): the BYE we send; requests from the caller go to <see cref="InDialogRequestHandler"/>.</summary>
internal sealed partial class GatewayCall
{
    /// <summary>Methods the call leg accepts, for Allow headers.</summary>
    public const string Allow = InDialogRequestHandler.Allow;

    /// <summary>Serves one in-dialog request from the caller through <see cref="InDialogRequestHandler"/>.</summary>
    public Task HandleRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken) =>
        _requests.HandleAsync(transaction, cancellationToken);

    /// <summary>RFC 3261 §12.2.2: true when <paramref name="sequence"/> is above the last remote CSeq (and is now the last).</summary>
    internal bool TryAcceptRemoteSequence(uint sequence)
    {
        lock (_sync)
        {
            return Dialog.TryAcceptRemoteSequence(sequence);
        }
    }

    /// <summary>
    /// Sends BYE once per call and waits for its final answer (or until <paramref name="cancellationToken"/>); false
    /// when a BYE was already sent or the call already ended. Never throws for the peer's silence.
    /// </summary>
    /// <param name="reason">The RFC 3326 <c>Reason</c> header value, written as given (see <see cref="NormalClearing"/>); null for none.</param>
    /// <param name="cancellationToken">Ends the wait for the BYE's answer.</param>
    private async Task<bool> SendByeAsync(string? reason, CancellationToken cancellationToken)
    {
        SipRequest bye;
        lock (_sync)
        {
            if (_hangingUp || _endTask is not null)
            {
                return false;
            }
            _hangingUp = true;
            bye = Dialog.CreateRequest(SipMethods.Bye);
        }
        if (reason is not null)
        {
            bye = bye.AddHeader("Reason", reason);
        }
        var targets = ByeTargets();
        var destination = string.Join(" or ", targets);
        using var scope = LogScope.ForCall(_logger, CallSid);
        try
        {
            var outcome = await _env.Sip.SendRequestAsync(bye, targets, null, cancellationToken).ConfigureAwait(false);
            Log.ByeSent(_logger, CallSid, destination, outcome.Response?.StatusCode ?? 0, outcome.Kind.ToString());
        }
        catch (OperationCanceledException)
        {
            // The BYE went out; waiting for its answer was cut short. The call ends either way (RFC 3261 §15).
            Log.ByeSent(_logger, CallSid, destination, 0, "abandoned");
        }
        catch (ObjectDisposedException)
        {
            Log.ByeSent(_logger, CallSid, destination, 0, "endpoint closed");
        }
        return true;
    }

    /// <summary>The Reason of a BYE for an ordinary end (RFC 3326 cause 200): <c>SIP;cause=200;text="&lt;text&gt;"</c>.</summary>
    private static string NormalClearing(string text) => $"SIP;cause=200;text=\"{text}\"";

    /// <summary>
    /// The recording-required policy ends the call: BYE carrying <see cref="RecordingRequirement.ReasonHeaderValue"/>
    /// (<c>SIP ;cause=503 ;text="recording required and unavailable"</c>), its answer awaited at most the teardown grace,
    /// then teardown. Returns at once: the controller that asks for it may hold the recording's gate, which teardown needs.
    /// </summary>
    private void EndUnrecordable()
    {
        _ = Task.Run(async () =>
        {
            using var bounded = new CancellationTokenSource(_env.TeardownGrace, _env.Time);
            if (await SendByeAsync(RecordingRequirement.ReasonHeaderValue, bounded.Token).ConfigureAwait(false))
            {
                await EndAsync(CallEndReason.RecordingUnavailable).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Where our BYE goes: <see cref="SipTarget.ForInDialogRequest"/> with the first route, else the remote target.</summary>
    private IReadOnlyList<SipTarget> ByeTargets() =>
        SipTarget.ForInDialogRequest(Dialog.RouteSet.Count > 0 ? Dialog.RouteSet[0].Uri : Dialog.RemoteTarget, SignallingPeer, SignallingTransport);
}
