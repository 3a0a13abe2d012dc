using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Testing.Srs;

/// <summary>The transaction-user side: how each request from the SRC is answered (RFC 3261 §8.2, RFC 7866 §6.1).</summary>
public sealed partial class FakeSrs
{
    /// <summary>
    /// Records the request, then answers it: an initial INVITE per <see cref="FakeSrsBehavior"/> and the 422/401 options,
    /// a re-INVITE or UPDATE as scripted by <see cref="AnswerInDialog"/>, a re-INVITE with 491/488/401 as configured or
    /// else a mirrored SDP answer, an OPTIONS as set by <see cref="AnswerOptions"/>, anything else with 200.
    /// </summary>
    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        Record(() => _requests.Add(request));
        var initial = request.Method == SipMethods.Invite && request.To?.Tag is null;
        if (initial)
            InviteSeen.TrySetResult(request);
        var scripted = !initial && request.Method is SipMethods.Invite or SipMethods.Update ? NextScriptedAnswer() : null;
        switch (request.Method)
        {
            case SipMethods.Invite or SipMethods.Update when scripted is { StatusCode: null }:
                return; // no final response at all: the SRC's transaction times out
            case SipMethods.Invite or SipMethods.Update when scripted is { StatusCode: { } code } script:
                var answer = SipResponse.CreateFor(request, code);
                foreach (var (name, value) in script.Headers)
                    answer = answer.AddHeader(name, value);
                await transaction.RespondAsync(answer, cancellationToken);
                break;
            case SipMethods.Invite when initial && RejectWithMinSe is { } minSe:
                RejectWithMinSe = null;
                await transaction.RespondAsync(SipResponse.CreateFor(request, 422, toTag: SipIds.NewTag()).AddHeader("Min-SE", minSe.ToString()), cancellationToken);
                break;
            case SipMethods.Invite when initial && RequireDigest is { } digest && !DigestCheck.IsValid(request, digest, Nonce):
                await transaction.RespondAsync(Challenge(SipResponse.CreateFor(request, 401, toTag: SipIds.NewTag()), digest.Realm), cancellationToken);
                break;
            case SipMethods.Invite when initial:
                await AnswerInitialAsync(transaction);
                break;
            case SipMethods.Invite or SipMethods.Bye when ChallengeInDialog && RequireDigest is { } inDialog && !DigestCheck.IsValid(request, inDialog, Nonce):
                await transaction.RespondAsync(Challenge(SipResponse.CreateFor(request, 401), inDialog.Realm), cancellationToken);
                break;
            case SipMethods.Invite when GlareOnce:
                GlareOnce = false;
                await transaction.RespondAsync(SipResponse.CreateFor(request, 491), cancellationToken);
                break;
            case SipMethods.Invite when RejectReinvites:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 488), cancellationToken);
                break;
            case SipMethods.Invite:
                await transaction.RespondAsync(AnswerOffer(request, null, ReinviteAnswerDirection), cancellationToken);
                break;
            case SipMethods.Bye when !ByeAnswered():
                return; // silent: the SRC's BYE waits in vain
            case SipMethods.Options:
                int? optionsAnswer;
                lock (_gate)
                    optionsAnswer = _optionsAnswer;
                if (optionsAnswer is not { } optionsCode)
                    return; // silent: the SRC's ping waits in vain
                var options = SipResponse.CreateFor(request, optionsCode);
                if (optionsCode == 405)
                    options = options.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL");
                await transaction.RespondAsync(options, cancellationToken);
                break;
            default:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 200), cancellationToken);
                break;
        }

        // After the answer, so a test that waits for the BYE may tear down without leaving the SRC's BYE unanswered.
        if (request.Method == SipMethods.Bye)
            ByeSeen.TrySetResult();
    }

    private bool ByeAnswered()
    {
        lock (_gate)
            return _byeAnswered;
    }

    // Counts this in-dialog offer and returns the answer scripted for it by AnswerInDialog, if any.
    private (int? StatusCode, (string Name, string Value)[] Headers)? NextScriptedAnswer()
    {
        lock (_gate)
            return _scripted.TryGetValue(++_inDialogOffers, out var script) ? script : null;
    }

    /// <summary>Records the ACK (for a 2xx to INVITE) for <see cref="Acks"/> and <see cref="WaitForAckAsync"/>.</summary>
    public void OnAck(IncomingMessage ack)
    {
        if (ack.Message is SipRequest request)
            Record(() => _acks.Add(request));
    }

    /// <summary>Ignored: the fake re-sends nothing for a stray response.</summary>
    public void OnStrayResponse(IncomingMessage response)
    {
    }

    /// <summary>Records that the SRC cancelled an initial INVITE (the layer already answered 487), for <see cref="WaitForCancelAsync"/>.</summary>
    public void OnCancelled(ServerTransaction inviteTransaction) => Record(() => _cancelled.Add(inviteTransaction));

    private static SipResponse Challenge(SipResponse response, string realm) =>
        response.AddHeader("WWW-Authenticate", $"Digest realm=\"{realm}\", nonce=\"{Nonce}\", qop=\"auth\", algorithm=MD5");

    private async Task AnswerInitialAsync(ServerTransaction transaction)
    {
        var request = transaction.Request;
        SrcEndPoint = transaction.Incoming.Remote;
        switch (_behavior)
        {
            case FakeSrsBehavior.Reject486:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 486, toTag: SipIds.NewTag()));
                return;
            case FakeSrsBehavior.Silent:
                return;
            case FakeSrsBehavior.AcceptLate:
                try
                {
                    await Task.Delay(_lateDelay, _dispose.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
        }

        var tag = SipIds.NewTag();
        Dialog = Dialog.CreateAsUas(request, tag, SipUri.Parse(Uri));
        try
        {
            var answer = AnswerOffer(request, tag);
            if (AnswerInitialWithoutSdp)
                answer = SipResponse.CreateFor(request, 200, toTag: tag).AddHeader("Contact", $"<{Uri}>");
            await transaction.RespondAsync(answer);
        }
        catch (Exception) when (_behavior == FakeSrsBehavior.AcceptLate)
        {
            // The transaction may already be final (CANCEL answered by the layer); nothing else to do.
        }
    }
}
