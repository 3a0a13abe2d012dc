using Microsoft.Extensions.Logging;
using Siprec.Recorder.Metadata;
using Siprec.Recorder.Offers;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recorder;

/// <summary>
/// A re-INVITE or UPDATE inside a recording dialog (RFC 3261 §14.2, RFC 3311): a new remote target, a metadata update
/// (RFC 7866 §6.1.2) or a new offer (pause/resume, RFC 7866 §8.1.3), answered with the re-armed session timer (RFC 4028).
/// </summary>
internal sealed class SessionModification
{
    private readonly ILogger _logger;
    private readonly SessionTimerRefresher _sessionTimer;

    /// <param name="logger">The server's logger: a rejected re-offer is logged under its category.</param>
    /// <param name="sessionTimer">Re-arms the session timer each 2xx negotiates.</param>
    public SessionModification(ILogger logger, SessionTimerRefresher sessionTimer)
    {
        _logger = logger;
        _sessionTimer = sessionTimer;
    }

    /// <summary>Answers the re-INVITE or UPDATE <paramref name="transaction"/> for <paramref name="session"/>: 200 with the SDP answer, or 488.</summary>
    public async Task HandleAsync(ServerTransaction transaction, RecorderSession session, CancellationToken ct)
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
                await SrsResponses.RejectAsync(_logger, transaction, 488, error!, ct).ConfigureAwait(false);
                return;
            }
            answer = updated;
        }

        var response = SipResponse.CreateFor(request, 200)
            .AddHeader("Contact", $"<{session.Dialog.LocalContact}>;+sip.srs");
        var timer = _sessionTimer.Arm(session, request);
        response = SessionTimerRefresher.WithSessionTimer(SrsResponses.Capabilities(response), timer)
            .WithBody("application/sdp", answer.ToBytes());
        await SrsResponses.RespondAsync(transaction, response, ct).ConfigureAwait(false);
    }

    private static bool IsMetadataOnly(string? contentType) =>
        MediaType.TryParse(contentType ?? "", out var type)
        && (type!.Is("application", "rs-metadata+xml") || type.Is("application", "rs-metadata"));
}
