using System.Globalization;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtp;
using Siprec.Recorder.Metadata;
using Siprec.Recorder.Offers;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Bodies;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recorder;

/// <summary>Session-level request handling: the initial SIPREC INVITE and the requests inside its dialog.</summary>
public sealed partial class RecordingServer
{
    private const int MinSessionExpires = 90;
    private const string ShuttingDownText = "recording server is shutting down";
    private static readonly HashSet<string> SupportedExtensions = new(StringComparer.OrdinalIgnoreCase) { "siprec", "timer", "100rel" };

    private async Task HandleInitialInviteAsync(ServerTransaction transaction, CancellationToken ct)
    {
        var request = transaction.Request;
        var source = transaction.Incoming.Remote;

        if (Volatile.Read(ref _shuttingDown) != 0)
        {
            await RefuseAsync(transaction, SessionRefusal.ShuttingDown, 503, ShuttingDownText, ct).ConfigureAwait(false);
            return;
        }
        var unsupported = request.GetHeaderValues("Require").Select(t => t.Trim()).Where(t => t.Length > 0 && !SupportedExtensions.Contains(t)).ToList();
        if (unsupported.Count > 0)
        {
            await RefuseAsync(transaction, SessionRefusal.UnsupportedExtension, SipResponse.CreateFor(request, 420).AddHeader("Unsupported", string.Join(", ", unsupported)),
                "unsupported Require: " + string.Join(", ", unsupported), ct).ConfigureAwait(false);
            return;
        }
        var sessionExpires = SessionTimerAnswer.SessionExpires(request);
        if (sessionExpires is > 0 and < MinSessionExpires)
        {
            await RefuseAsync(transaction, SessionRefusal.SessionIntervalTooSmall, SipResponse.CreateFor(request, 422).AddHeader("Min-SE", MinSessionExpires.ToString(CultureInfo.InvariantCulture)),
                $"Session-Expires {sessionExpires} below {MinSessionExpires}", ct).ConfigureAwait(false);
            return;
        }

        // RFC 7866 §6.1.1 obliges the SRC to both; real SRCs omit them, so the SRS only notes it.
        if (!request.GetHeaderValues("Require").Any(t => t.Trim().Equals("siprec", StringComparison.OrdinalIgnoreCase)))
            Log.MissingRequireSiprec(_logger, request.CallId ?? "none", source);
        if (request.Contact is not { } contact || !contact.Parameters.Any(p => p.Key.Equals("+sip.src", StringComparison.OrdinalIgnoreCase)))
            Log.MissingSrcFeatureTag(_logger, request.CallId ?? "none", source);

        if (!SiprecOfferReader.TryReadInitial(request.ContentType, request.Body, out var offer, out var error))
        {
            await RefuseAsync(transaction, SessionRefusal.BadOffer, 488, error!, ct).ConfigureAwait(false);
            return;
        }
        if (offer!.Sdp.Media.Count > _options.MaxStreamsPerSession)
        {
            // Refused before anything is bound: each m-line would cost a socket pair and a WAV channel.
            await RefuseAsync(transaction, SessionRefusal.TooManyStreams, 488, $"offer has {offer.Sdp.Media.Count} m-lines; this recording server takes at most {_options.MaxStreamsPerSession}", ct).ConfigureAwait(false);
            return;
        }
        var plans = SdpAnswerBuilder.Plan(offer.Sdp);
        if (!plans.Any(p => p.Recorded))
        {
            var reasons = string.Join("; ", plans.Select(p => $"m-line {p.MediaIndex + 1} (label {p.Label}): {p.DeclineReason}"));
            await RefuseAsync(transaction, SessionRefusal.NoRecordableStream, 488, plans.Count == 0 ? "SDP offer has no m-line" : $"no stream can be recorded (PCMU or PCMA over RTP/AVP needed): {reasons}", ct).ConfigureAwait(false);
            return;
        }

        // An INVITE the SRC already CANCELled (the layer answered 487) while this handler waited for a thread: building
        // sockets and files for it would only leave an orphan session nobody will ACK or BYE.
        if (transaction.IsFinal)
        {
            Log.InviteCancelledBeforeSession(_logger, request.CallId ?? "none", source);
            _metrics.SessionRefused(SessionRefusal.Cancelled);
            return;
        }
        if (_admission.TryAdmit(source.Address, out var refusal, out var limit) is not { } slot)
        {
            await RefuseAsync(transaction, refusal, Busy(transaction, limit!), limit!, ct).ConfigureAwait(false);
            return;
        }

        var localTag = SipIds.NewTag();
        var listener = ListenerFor(transaction.Incoming);
        var localContact = LocalContact(transaction, listener);
        var dialog = Dialog.CreateAsUas(request, localTag, localContact);
        var id = NewSessionId();
        RecorderSession session;
        try
        {
            session = RecorderSession.Start(id, _options.OutputDirectory, offer, plans, _options.MediaAddress, _options.RtpPorts,
                AdvertisedMediaAddress(transaction), dialog, source, listener.Bound.Transport,
                new SessionWatch(_options.FlushInterval, _options.MediaTimeout, OnAbandonedAsync, _metrics), _time, _loggerFactory.CreateLogger<RecorderSession>());
        }
        catch (RtpPortsExhaustedException ex)
        {
            // The operator's --rtp-ports range is full: like the session limit, busy now, try again later.
            slot.Dispose();
            await RefuseAsync(transaction, SessionRefusal.RtpPorts, Busy(transaction, ex.Message), ex.Message, ct).ConfigureAwait(false);
            return;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
        var key = SessionKey(dialog.Id.CallId, dialog.Id.RemoteTag, dialog.Id.LocalTag) ?? id;
        session.DialogKey = key;
        session.Listener = listener;
        session.Admission = slot;
        _sessions[key] = session;
        // A CANCEL processed while the session was being built found nothing in _sessions (OnCancelled), and the
        // layer's 487 made the INVITE final: the session must not outlive it. Whoever removes the key, this handler or
        // OnCancelled, finishes the session, so it is finished exactly once whichever came first. The fence orders the
        // insert before the read of the transaction's state (the layer sets that state before it calls OnCancelled).
        Interlocked.MemoryBarrier();
        if (transaction.IsFinal)
        {
            if (_sessions.TryRemove(key, out _))
            {
                Log.SessionCancelledWhileStarting(_logger, id, dialog.Id.CallId, source);
                _metrics.SessionRefused(SessionRefusal.Cancelled);
                await FinishAsync(session, endedBySrc: false, CancelledBySrc).ConfigureAwait(false);
            }
            return;
        }
        if (Volatile.Read(ref _shuttingDown) != 0)
        {
            // DisposeAsync took its snapshot before this session existed; finalize it here.
            _sessions.TryRemove(key, out _);
            await FinishAsync(session, endedBySrc: false, SessionEnd.Shutdown.Text).ConfigureAwait(false);
            await RefuseAsync(transaction, SessionRefusal.ShuttingDown, 503, ShuttingDownText, ct).ConfigureAwait(false);
            return;
        }
        session.SrcAllowsUpdate = request.GetHeaderValues("Allow").Any(m => m.Trim().Equals(SipMethods.Update, StringComparison.OrdinalIgnoreCase));
        var timer = ArmSessionTimer(session, request);
        session.Timers.ArmAckTimeout(_options.Transactions.T1 * 64, () => OnAckMissing(session));
        Log.SessionStarted(_logger, id, dialog.Id.CallId, source, session.Streams.Count, session.IsPaused);

        var response = SipResponse.CreateFor(request, 200, toTag: localTag)
            .AddHeader("Contact", $"<{localContact}>;+sip.srs");
        response = WithSessionTimer(Capabilities(response), timer)
            .WithBody("application/sdp", session.Answer.ToBytes());
        // Counted with the 200 OK, so every initial INVITE is counted once: started, or refused (the shutdown race above included).
        _metrics.SessionStarted();
        await RespondAsync(transaction, response, ct).ConfigureAwait(false);
    }

    private async Task HandleInDialogAsync(ServerTransaction transaction, CancellationToken ct)
    {
        var request = transaction.Request;
        var key = SessionKey(request.CallId, request.From?.Tag, request.To?.Tag);
        if (key is null || !_sessions.TryGetValue(key, out var session))
        {
            // RFC 3261 §12.2.2 (and RFC 5057 §5.1): 481 for every in-dialog request, OPTIONS included, so an SRC's
            // keep-alive ping learns that a restarted SRS no longer holds its recording instead of believing it alive.
            Log.UnknownDialog(_logger, request.Method, request.CallId ?? "none");
            await RespondAsync(transaction, SipResponse.CreateFor(request, 481), ct).ConfigureAwait(false);
            return;
        }

        bool inOrder;
        lock (session.Dialog) inOrder = request.CSeq is not { } cseq || session.Dialog.TryAcceptRemoteSequence(cseq.Sequence);
        if (!inOrder)
        {
            await RespondAsync(transaction, SipResponse.CreateFor(request, 500, "CSeq out of order"), ct).ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await RespondAsync(transaction, SipResponse.CreateFor(request, 200), ct).ConfigureAwait(false);
                if (_sessions.TryRemove(key, out _)) await FinishAsync(session, endedBySrc: true, null).ConfigureAwait(false);
                break;
            case SipMethods.Invite or SipMethods.Update:
                await HandleReofferAsync(transaction, session, ct).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                await RespondAsync(transaction, Capabilities(SipResponse.CreateFor(request, 200)), ct).ConfigureAwait(false);
                break;
            case SipMethods.Info:
                await RespondAsync(transaction, SipResponse.CreateFor(request, 200), ct).ConfigureAwait(false);
                break;
            default:
                await RespondAsync(transaction, SipResponse.CreateFor(request, 405).AddHeader("Allow", AllowedMethods), ct).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleReofferAsync(ServerTransaction transaction, RecorderSession session, CancellationToken ct)
    {
        var request = transaction.Request;
        if (request.Contact is { } contact)
            lock (session.Dialog) session.Dialog.UpdateRemoteTarget(contact.Uri);

        var answer = session.Answer;
        if (IsMetadataOnly(request.ContentType))
        {
            session.UpdateMetadata(RecordingMetadataReader.Read(request.Body));
        }
        else if (!request.Body.IsEmpty)
        {
            if (!SiprecOfferReader.TryReadUpdate(request.ContentType, request.Body, out var offer, out var error)
                || session.ApplyUpdate(offer!, out error) is not { } updated)
            {
                Log.ReinviteRejected(_logger, session.Id, error!);
                await RejectAsync(transaction, 488, error!, ct).ConfigureAwait(false);
                return;
            }
            answer = updated;
        }

        var response = SipResponse.CreateFor(request, 200)
            .AddHeader("Contact", $"<{session.Dialog.LocalContact}>;+sip.srs");
        var timer = ArmSessionTimer(session, request);
        response = WithSessionTimer(Capabilities(response), timer)
            .WithBody("application/sdp", answer.ToBytes());
        await RespondAsync(transaction, response, ct).ConfigureAwait(false);
    }

    private static bool IsMetadataOnly(string? contentType) =>
        MediaType.TryParse(contentType ?? "", out var type)
        && (type!.Is("application", "rs-metadata+xml") || type.Is("application", "rs-metadata"));

    /// <summary>Refuses an initial INVITE: counts it once by <paramref name="refusal"/>, then logs and sends <paramref name="response"/>.</summary>
    private Task RefuseAsync(ServerTransaction transaction, SessionRefusal refusal, SipResponse response, string detail, CancellationToken ct)
    {
        _metrics.SessionRefused(refusal);
        return RejectAsync(transaction, response, detail, ct);
    }

    private Task RefuseAsync(ServerTransaction transaction, SessionRefusal refusal, int statusCode, string detail, CancellationToken ct) =>
        RefuseAsync(transaction, refusal, Reject(transaction, statusCode, detail), detail, ct);

    /// <summary>503 with Retry-After (RFC 3261 §21.5.4): a limit is reached now, the SRC may try again later.</summary>
    private SipResponse Busy(ServerTransaction transaction, string detail) =>
        Reject(transaction, 503, detail)
            .AddHeader("Retry-After", ((int)_options.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    private Task RejectAsync(ServerTransaction transaction, int statusCode, string reason, CancellationToken ct) =>
        RejectAsync(transaction, Reject(transaction, statusCode, reason), reason, ct);

    private async Task RejectAsync(ServerTransaction transaction, SipResponse response, string reason, CancellationToken ct)
    {
        Log.InviteRejected(_logger, transaction.Request.CallId ?? "none", transaction.Incoming.Remote, response.StatusCode, reason);
        await RespondAsync(transaction, response, ct).ConfigureAwait(false);
    }

    private void OnAckMissing(RecorderSession session) =>
        _ = EndBySrsAsync(session, SessionEnd.AckMissing, "no ACK for the 200 OK within 64*T1 (RFC 3261 §13.3.1.4)");

    private Task OnAbandonedAsync(RecorderSession session, SessionEnd end) =>
        EndBySrsAsync(session, end, end.Cause == 408
            ? $"{end.Text} on any stream while not paused: the SRC is gone without BYE"
            : $"{end.Text}: nothing more can be recorded, so the SRC should record elsewhere");

    /// <summary>Ends a session the SRC abandoned or the SRS cannot go on with: finalize the files, then tell the SRC with BYE and the Reason.</summary>
    private async Task EndBySrsAsync(RecorderSession session, SessionEnd end, string detail)
    {
        if (session.DialogKey is null || !_sessions.TryRemove(session.DialogKey, out _)) return;
        Log.SessionEndedBySrs(_logger, session.Id, detail);
        try
        {
            await FinishAsync(session, endedBySrc: false, end.Text).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WriteFailed(_logger, ex, session.Id);
        }
        await SendByeAsync(session, end).ConfigureAwait(false);
    }

    /// <summary>
    /// The address put in the answer's <c>c=</c> line: the media address, or when that is a wildcard the
    /// address the INVITE arrived on (or was sent to), since 0.0.0.0 in SDP means "no media" (RFC 3264 §8.4).
    /// </summary>
    private System.Net.IPAddress AdvertisedMediaAddress(ServerTransaction transaction)
    {
        static bool Usable(System.Net.IPAddress a) => !a.Equals(System.Net.IPAddress.Any) && !a.Equals(System.Net.IPAddress.IPv6Any);
        if (Usable(_options.MediaAddress)) return _options.MediaAddress;
        if (Usable(transaction.Incoming.Local.Address)) return transaction.Incoming.Local.Address;
        return System.Net.IPAddress.TryParse(transaction.Request.RequestUri.Host.Trim('[', ']'), out var target) && Usable(target)
            ? target
            : System.Net.IPAddress.Loopback;
    }

    private string NewSessionId() =>
        $"srs-{_time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Random.Shared.Next():x8}";

    private static string? SessionKey(string? callId, string? remoteTag, string? localTag) =>
        callId is null || remoteTag is null || localTag is null ? null : $"{callId}\n{remoteTag}\n{localTag}";
}
