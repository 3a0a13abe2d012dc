using System.Text;
using Microsoft.Extensions.Logging;
using Siprec.Recording.MediaEngines;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Gateway.Calls;

/// <summary>
/// The requests a caller sends inside an answered call's dialog (RFC 3261 §12.2.2): each is answered exactly once,
/// whatever the method, so a peer never waits out a transaction timer on us.
/// </summary>
internal sealed class InDialogRequestHandler
{
    private readonly GatewayCall _call;
    private byte[] _localSdp;
    private readonly ILogger _logger;

    /// <param name="call">The call whose dialog the requests belong to.</param>
    /// <param name="localSdp">Our answer, repeated to re-INVITEs.</param>
    /// <param name="logger">The call's logger.</param>
    public InDialogRequestHandler(GatewayCall call, byte[] localSdp, ILogger logger)
    {
        _call = call;
        _localSdp = localSdp;
        _logger = logger;
    }

    /// <summary>Methods the call leg accepts, for Allow headers.</summary>
    public const string Allow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO";

    /// <summary>
    /// Serves one in-dialog request and answers it exactly once: BYE ends the call, INFO goes to the recording
    /// handler, re-INVITE gets our unchanged answer, OPTIONS 200, anything else 405. An out-of-order CSeq gets 500
    /// (RFC 3261 §12.2.2).
    /// </summary>
    public async Task HandleAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        if (request.CSeq is not { } cseq || !_call.TryAcceptRemoteSequence(cseq.Sequence))
        {
            await transaction.RespondAsync(SipResponse.CreateFor(request, 500, "CSeq Out Of Order"), cancellationToken).ConfigureAwait(false);
            return;
        }
        switch (request.Method)
        {
            case SipMethods.Bye:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 200), cancellationToken).ConfigureAwait(false);
                using (LogScope.ForCall(_logger, _call.CallSid))
                {
                    Log.RemoteBye(_logger, _call.CallSid);
                }
                _ = _call.EndAsync(CallEndReason.RemoteHangUp);
                break;
            case SipMethods.Info:
                var answer = await _call.InfoHandler.HandleAsync(request, _call.Lifetime).ConfigureAwait(false);
                await transaction.RespondAsync(answer, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Invite:
                // A refresh or target update: the media stays as negotiated, so the answer repeats ours; an anchored call
                // passes a new offer through rtpengine first, so that it sends to wherever the caller now listens.
                await ReofferAsync(request, cancellationToken).ConfigureAwait(false);
                var ok = SipResponse.CreateFor(request, 200)
                    .AddHeader("Contact", $"<{_call.Dialog.LocalContact}>")
                    .AddHeader("Allow", Allow)
                    .WithBody(CallSdp.ContentType, _localSdp);
                await transaction.RespondAsync(ok, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 200).AddHeader("Allow", Allow), cancellationToken).ConfigureAwait(false);
                break;
            default:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 405).AddHeader("Allow", Allow), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task ReofferAsync(SipRequest request, CancellationToken cancellationToken)
    {
        // Not once the call is ending: an offer after the anchor's delete would make the call again at rtpengine.
        if (_call.Anchor is not { } anchor || _call.MediaAnchor is not { } engine || _call.Lifetime.IsCancellationRequested
            || !CallSdp.TryGetSdpText(request, out var offer, out _) || offer is null)
            return;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _call.Lifetime);
            var answer = await engine.ReofferAsync(anchor, offer, bounded.Token).ConfigureAwait(false);
            _localSdp = Encoding.UTF8.GetBytes(answer);
        }
        catch (OperationCanceledException) when (_call.Lifetime.IsCancellationRequested)
        {
            // The call ended meanwhile: its teardown deletes the anchor.
        }
        catch (MediaEngineException ex)
        {
            // The media stays as rtpengine has it; the caller gets the answer it already had (RFC 3264 §8: an unchanged answer).
            Log.ReofferFailed(_logger, _call.CallSid, ex.Message);
        }
    }
}
