using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtp;
using Siprec.Recorder.Observability;
using Siprec.Recorder.Offers;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recorder;

/// <summary>
/// Admission of an initial SIPREC INVITE (RFC 7866 §6.1, RFC 3261 §8.2): the checks it must pass, the session limits, and
/// the <see cref="RecorderSession"/> it starts; every refusal is counted once, logged and answered here.
/// </summary>
internal sealed class InitialInviteAdmission
{
    private const string ShuttingDownText = "recording server is shutting down";
    private static readonly HashSet<string> SupportedExtensions = new(StringComparer.OrdinalIgnoreCase) { "siprec", "timer", "100rel" };

    private readonly RecordingServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly RecorderMetrics _metrics;
    private readonly SessionAdmission _admission;
    private readonly SrsListeners _listeners;
    private readonly Func<RecorderSession, SessionEnd, Task> _onAbandoned;

    /// <param name="options">Limits, media address and RTP ports, output folder, flush and media timeouts.</param>
    /// <param name="time">Clock of the sessions it starts.</param>
    /// <param name="loggerFactory">Source of each session's logger.</param>
    /// <param name="logger">The server's logger: refusals are logged under its category.</param>
    /// <param name="metrics">Counts refusals (and the sessions' late packets and write failures).</param>
    /// <param name="listeners">The listener an INVITE arrived on and its Contact.</param>
    /// <param name="onAbandoned">Ends a session its <see cref="SessionWatch"/> gave up on (media timeout, storage failure).</param>
    public InitialInviteAdmission(RecordingServerOptions options, TimeProvider time, ILoggerFactory loggerFactory, ILogger logger,
        RecorderMetrics metrics, SrsListeners listeners, Func<RecorderSession, SessionEnd, Task> onAbandoned)
    {
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = logger;
        _metrics = metrics;
        _admission = new SessionAdmission(options.MaxConcurrentSessions, options.EffectiveMaxSessionsPerSource);
        _listeners = listeners;
        _onAbandoned = onAbandoned;
    }

    /// <summary>Refuses an initial INVITE with 503 while the server shuts down.</summary>
    public Task RefuseShuttingDownAsync(ServerTransaction transaction, CancellationToken ct) =>
        RefuseAsync(transaction, SessionRefusal.ShuttingDown, 503, ShuttingDownText, ct);

    /// <summary>
    /// Checks the INVITE (extensions, session interval, offer, streams), takes a place in the session limits and starts the
    /// session with its sockets and files; <see cref="RecorderSession.Listener"/> and <see cref="RecorderSession.Admission"/>
    /// are set. Returns null when the INVITE was refused (answered and counted here) or already CANCELled.
    /// </summary>
    public async Task<RecorderSession?> TryStartAsync(ServerTransaction transaction, CancellationToken ct)
    {
        var request = transaction.Request;
        var source = transaction.Incoming.Remote;

        var unsupported = request.GetHeaderValues("Require").Select(t => t.Trim()).Where(t => t.Length > 0 && !SupportedExtensions.Contains(t)).ToList();
        if (unsupported.Count > 0)
        {
            await RefuseAsync(transaction, SessionRefusal.UnsupportedExtension, SipResponse.CreateFor(request, 420).AddHeader("Unsupported", string.Join(", ", unsupported)),
                "unsupported Require: " + string.Join(", ", unsupported), ct).ConfigureAwait(false);
            return null;
        }
        var sessionExpires = SessionTimerAnswer.SessionExpires(request);
        if (sessionExpires is > 0 and < SessionTimerRefresher.MinSessionExpires)
        {
            await RefuseAsync(transaction, SessionRefusal.SessionIntervalTooSmall, SipResponse.CreateFor(request, 422).AddHeader("Min-SE", SessionTimerRefresher.MinSessionExpires.ToString(CultureInfo.InvariantCulture)),
                $"Session-Expires {sessionExpires} below {SessionTimerRefresher.MinSessionExpires}", ct).ConfigureAwait(false);
            return null;
        }

        // RFC 7866 §6.1.1 obliges the SRC to both; real SRCs omit them, so the SRS only notes it.
        if (!request.GetHeaderValues("Require").Any(t => t.Trim().Equals("siprec", StringComparison.OrdinalIgnoreCase)))
            Log.MissingRequireSiprec(_logger, request.CallId ?? "none", source);
        if (request.Contact is not { } contact || !contact.Parameters.Any(p => p.Key.Equals("+sip.src", StringComparison.OrdinalIgnoreCase)))
            Log.MissingSrcFeatureTag(_logger, request.CallId ?? "none", source);

        if (!SiprecOfferReader.TryReadInitial(request.ContentType, request.Body, out var offer, out var error))
        {
            await RefuseAsync(transaction, SessionRefusal.BadOffer, 488, error!, ct).ConfigureAwait(false);
            return null;
        }
        if (offer!.Sdp.Media.Count > _options.MaxStreamsPerSession)
        {
            // Refused before anything is bound: each m-line would cost a socket pair and a WAV channel.
            await RefuseAsync(transaction, SessionRefusal.TooManyStreams, 488, $"offer has {offer.Sdp.Media.Count} m-lines; this recording server takes at most {_options.MaxStreamsPerSession}", ct).ConfigureAwait(false);
            return null;
        }
        var plans = SdpAnswerBuilder.Plan(offer.Sdp);
        if (!plans.Any(p => p.Recorded))
        {
            var reasons = string.Join("; ", plans.Select(p => $"m-line {p.MediaIndex + 1} (label {p.Label}): {p.DeclineReason}"));
            await RefuseAsync(transaction, SessionRefusal.NoRecordableStream, 488, plans.Count == 0 ? "SDP offer has no m-line" : $"no stream can be recorded (PCMU or PCMA over RTP/AVP needed): {reasons}", ct).ConfigureAwait(false);
            return null;
        }

        // An INVITE the SRC already CANCELled (the layer answered 487) while this handler waited for a thread: building
        // sockets and files for it would only leave an orphan session nobody will ACK or BYE.
        if (transaction.IsFinal)
        {
            Log.InviteCancelledBeforeSession(_logger, request.CallId ?? "none", source);
            _metrics.SessionRefused(SessionRefusal.Cancelled);
            return null;
        }
        if (_admission.TryAdmit(source.Address, out var refusal, out var limit) is not { } slot)
        {
            await RefuseAsync(transaction, refusal, Busy(transaction, limit!), limit!, ct).ConfigureAwait(false);
            return null;
        }

        var localTag = SipIds.NewTag();
        var listener = _listeners.ListenerFor(transaction.Incoming);
        var localContact = _listeners.LocalContact(transaction, listener);
        var dialog = Dialog.CreateAsUas(request, localTag, localContact);
        var id = NewSessionId();
        RecorderSession session;
        try
        {
            session = RecorderSession.Start(id, _options.OutputDirectory, offer, plans, _options.MediaAddress, _options.RtpPorts,
                AdvertisedMediaAddress(transaction), dialog, source, listener.Bound.Transport,
                new SessionWatch(_options.FlushInterval, _options.MediaTimeout, _onAbandoned, _metrics), _time, _loggerFactory.CreateLogger<RecorderSession>());
        }
        catch (RtpPortsExhaustedException ex)
        {
            // The operator's --rtp-ports range is full: like the session limit, busy now, try again later.
            slot.Dispose();
            await RefuseAsync(transaction, SessionRefusal.RtpPorts, Busy(transaction, ex.Message), ex.Message, ct).ConfigureAwait(false);
            return null;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
        session.Listener = listener;
        session.Admission = slot;
        return session;
    }

    /// <summary>Refuses an initial INVITE: counts it once by <paramref name="refusal"/>, then logs and sends <paramref name="response"/>.</summary>
    private Task RefuseAsync(ServerTransaction transaction, SessionRefusal refusal, SipResponse response, string detail, CancellationToken ct)
    {
        _metrics.SessionRefused(refusal);
        return SrsResponses.RejectAsync(_logger, transaction, response, detail, ct);
    }

    private Task RefuseAsync(ServerTransaction transaction, SessionRefusal refusal, int statusCode, string detail, CancellationToken ct) =>
        RefuseAsync(transaction, refusal, SrsResponses.Reject(transaction, statusCode, detail), detail, ct);

    /// <summary>503 with Retry-After (RFC 3261 §21.5.4): a limit is reached now, the SRC may try again later.</summary>
    private SipResponse Busy(ServerTransaction transaction, string detail) =>
        SrsResponses.Reject(transaction, 503, detail)
            .AddHeader("Retry-After", ((int)_options.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The address put in the answer's <c>c=</c> line: the media address, or when that is a wildcard the
    /// address the INVITE arrived on (or was sent to), since 0.0.0.0 in SDP means "no media" (RFC 3264 §8.4).
    /// </summary>
    private IPAddress AdvertisedMediaAddress(ServerTransaction transaction)
    {
        static bool Usable(IPAddress a) => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any);
        if (Usable(_options.MediaAddress)) return _options.MediaAddress;
        if (Usable(transaction.Incoming.Local.Address)) return transaction.Incoming.Local.Address;
        return IPAddress.TryParse(transaction.Request.RequestUri.Host.Trim('[', ']'), out var target) && Usable(target)
            ? target
            : IPAddress.Loopback;
    }

    private string NewSessionId() =>
        $"srs-{_time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Random.Shared.Next():x8}";
}
