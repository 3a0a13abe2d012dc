using System.Globalization;
using System.Net;
using Siprec.Sip.Bodies;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// The initial INVITE (RFC 7866 §7.1): server location with failover (RFC 3263 §4.3), 422 retry (RFC 4028 §7.4),
/// one digest answer to 401/407 (RFC 3261 §22.2), and the answer's checks.
/// </summary>
internal sealed partial class RecordingDialog
{
    /// <summary>
    /// Sends the initial INVITE and waits for its final answer. <paramref name="admit"/> is asked, once a usable 2xx
    /// is ACKed, whether the session still wants this recorder (it adds the forwarders under its own lock);
    /// if not, the dialog is ended with BYE at once. Never throws; the outcome tells what happened.
    /// </summary>
    public async Task<SrsOutcome> InviteAsync(byte[] metadata, Func<RecordingDialog, bool> admit)
    {
        try
        {
            return await InviteCoreAsync(metadata, admit).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.InviteFailed(_logger, SrsUri, ex);
            return Finish(SrsOutcomeKind.TransportError, null, ex.Message);
        }
        finally
        {
            if (Status == RecorderStatus.Ended)
                await DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<SrsOutcome> InviteCoreAsync(byte[] metadata, Func<RecordingDialog, bool> admit)
    {
        if (Uri is null)
            return Finish(SrsOutcomeKind.TransportError, null, "not a SIP URI");
        if (Settings.SecureMedia && !IsTlsUri(Uri, Settings.Transport))
        {
            // RFC 4568 §8.3: SDES keys travel in the SDP, so they must never go over a plain transport.
            return Finish(SrsOutcomeKind.TransportError, null,
                $"secure recording (SRTP with SDES keys) needs TLS signalling: use a sips: URI or transport=tls, not {Settings.Transport ?? Uri.Transport ?? "udp"}");
        }

        if (Settings.Transport is { } forced && forced is not ("udp" or "tcp" or "tls"))
            return Finish(SrsOutcomeKind.TransportError, null, $"transport {forced} is not supported (udp, tcp or tls)");

        IReadOnlyList<SipTarget> targets;
        try
        {
            targets = await LocateAsync(_abandon.Token).ConfigureAwait(false);
            if (targets.Count == 0)
                return Finish(SrsOutcomeKind.DnsFailure, null, $"no address for {Uri.Host}");
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return Finish(SrsOutcomeKind.Cancelled, null, "abandoned while resolving");
        }
        catch (Exception ex)
        {
            return Finish(SrsOutcomeKind.DnsFailure, null, $"cannot resolve {Uri.Host}: {ex.Message}");
        }

        var fromTag = SipIds.NewTag();
        _client.Register(this);
        SipRequest invite = null!;
        TransactionOutcome result = null!;
        uint sequence = 0;
        foreach (var target in targets)
        {
            if (Settings.SecureMedia && target.Protocol != SipTransportProtocol.Tls)
            {
                Log.TargetFailed(_logger, SrsUri, target.ToString(), "not TLS, and secure recording never sends keys in clear");
                result = new TransactionOutcome(TransactionOutcomeKind.TransportError, null, $"target {target} is not TLS; secure recording needs TLS signalling");
                continue;
            }
            Destination = target;
            Contact = _client.ContactFor(target.Protocol);
            SipHeader? authorization = null;
            var authTried = false;
            var intervalRaised = false;
            while (true)
            {
                invite = BuildInvite(metadata, fromTag, ++sequence, authorization);
                Log.SendingInvite(_logger, SrsUri, CallId, target.ToString());
                result = await _client.Layer.SendRequestAsync(invite, target, null, _abandon.Token).ConfigureAwait(false);
                // Sent over TCP for its size (RFC 3261 §18.1.1): the ACK and later requests start from there too.
                if (result.Target is { } used)
                    Destination = used;
                if (_abandon.IsCancellationRequested || result.Response is not { } r)
                    break;

                // RFC 4028 §7.4: 422 names the smallest interval the SRS accepts; retry once with it (same Call-ID, new CSeq).
                if (r.StatusCode == 422 && !intervalRaised && _sessionExpires > TimeSpan.Zero
                    && SessionTimer.TryRead(r.GetHeader("Min-SE"), out var minSe, out _) && minSe > _sessionExpires)
                {
                    intervalRaised = true;
                    Log.SessionIntervalRaised(_logger, SrsUri, (long)minSe.TotalSeconds);
                    _sessionExpires = minSe;
                    _minSe = minSe;
                    continue;
                }

                // RFC 3261 §22.2: answer one challenge with the connector's credentials; a second challenge is a rejection.
                if (r.StatusCode is 401 or 407 && !authTried && _digest.HasCredentials)
                {
                    authTried = true;
                    if (!_digest.TryAuthorize(r, BuildInvite(metadata, fromTag, sequence + 1, null), out var header, out var authError))
                        return Finish(SrsOutcomeKind.Rejected, r.StatusCode, $"{r.StatusCode} {r.ReasonPhrase} (cannot authenticate: {authError})");
                    authorization = header;
                    continue;
                }

                break;
            }

            // RFC 3263 §4.3: the next target only when this one could not be reached at all.
            if (result.Kind is TransactionOutcomeKind.Response || _abandon.IsCancellationRequested)
                break;
            Log.TargetFailed(_logger, SrsUri, target.ToString(), result.Error ?? result.Kind.ToString());
        }

        if (result.Kind == TransactionOutcomeKind.Timeout)
            return Finish(SrsOutcomeKind.Timeout, null, "no final answer (transaction timeout)");
        if (result.Kind == TransactionOutcomeKind.TransportError || result.Response is null)
            return Finish(SrsOutcomeKind.TransportError, null, result.Error ?? "transport error");

        var response = result.Response;
        if (!result.IsSuccess)
        {
            var kind = _abandon.IsCancellationRequested && response.StatusCode == 487 ? SrsOutcomeKind.Cancelled : SrsOutcomeKind.Rejected;
            return Finish(kind, response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
        }

        return await EstablishAsync(invite, response, admit).ConfigureAwait(false);
    }

    private async Task<SrsOutcome> EstablishAsync(SipRequest invite, SipResponse response, Func<RecordingDialog, bool> admit)
    {
        var dialog = SipDialog.CreateAsUac(invite, response);
        Dialog = dialog;
        Destination = await ResolveTargetAsync(dialog, Destination!).ConfigureAwait(false);
        var inviteSequence = invite.CSeq?.Sequence ?? 1;

        var answer = SipBodies.ReadSdp(response, out var sdpError);
        if (answer is null)
        {
            await SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            Log.UnusableAnswer(_logger, SrsUri, sdpError ?? "no SDP");
            await SendByeAsync(dialog).ConfigureAwait(false);
            return Finish(SrsOutcomeKind.Rejected, response.StatusCode, $"{response.StatusCode} without a usable SDP answer ({sdpError})");
        }

        ApplyAnswer(answer);
        SrsAllowsUpdate = response.GetHeaderValues("Allow").Any(m => m.Trim().Equals(SipMethods.Update, StringComparison.OrdinalIgnoreCase));
        if (Streams.All(s => s.Forwarder.Destination is null))
        {
            // Every stream declined (port 0 or not receiving): the SRS cannot record anything.
            await SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
            Log.UnusableAnswer(_logger, SrsUri, "every stream declined");
            await SendByeAsync(dialog).ConfigureAwait(false);
            return Finish(SrsOutcomeKind.Rejected, response.StatusCode, $"{response.StatusCode} declining every stream");
        }

        lock (_gate)
        {
            if (!_abandoned)
            {
                _status = RecorderStatus.Established;
                _outcome = new SrsOutcome(SrsUri, SrsOutcomeKind.Accepted, response.StatusCode, $"{response.StatusCode} {response.ReasonPhrase}");
            }
        }

        StartSessionTimer(response);

        // Admitted before the ACK goes out, so a BYE the SRS sends right after our ACK finds an established dialog.
        var admitted = Status == RecorderStatus.Established && admit(this);
        await SendAckAsync(dialog, inviteSequence).ConfigureAwait(false);
        if (admitted)
            return Outcome;

        // The session gave up on this SRS (timeout or stop) before it accepted: end it so both sides agree.
        // If the session's stop already ended it, the stop sends the BYE.
        Log.LateAcceptEnded(_logger, SrsUri, CallId);
        bool mine;
        lock (_gate)
        {
            mine = _status != RecorderStatus.Ended;
            _status = RecorderStatus.Ended;
            if (!_abandoned && mine)
                _outcome = new SrsOutcome(SrsUri, SrsOutcomeKind.Cancelled, response.StatusCode, "accepted after the recording gave up on it; sent BYE");
        }

        if (mine)
            await SendByeAsync(dialog).ConfigureAwait(false);
        return Outcome;
    }

    /// <summary>
    /// The ordered targets for the SRS URI (RFC 3263): the connector's transport is applied as the URI's transport
    /// parameter; a full <see cref="SipServerLocator"/> gives SRV-ordered targets, any other locator addresses.
    /// </summary>
    private async Task<IReadOnlyList<SipTarget>> LocateAsync(CancellationToken ct)
    {
        var uri = Uri!;
        if (Settings.Transport is { } transport && uri.Transport is null && !(transport == "udp" && uri.Scheme.Equals("sip", StringComparison.OrdinalIgnoreCase)))
            uri = uri.WithParameter("transport", transport);
        if (_client.Locator is SipServerLocator full)
            return await full.ResolveAsync(uri, ct).ConfigureAwait(false);

        var protocol = ProtocolOf(uri) ?? throw new SipLocationException($"transport '{uri.Transport}' of {uri} is not supported");
        var host = uri.Host.Trim('[', ']');
        var tlsName = protocol == SipTransportProtocol.Tls && !IPAddress.TryParse(host, out _) ? host : null;
        var found = await _client.Locator.LocateAsync(uri, ct).ConfigureAwait(false);
        var named = uri.Transport is not null; // ;transport=udp keeps an oversized INVITE on UDP (RFC 3261 §18.1.1)
        return found.Select(ep => new SipTarget(ep, protocol, tlsName) { IsTransportExplicit = named }).ToList();
    }

    /// <summary>True when the URI or the forced transport means TLS: a <c>sips:</c> URI, or transport <c>tls</c> (RFC 3261 §26.2.2).</summary>
    private static bool IsTlsUri(SipUri uri, string? forcedTransport) =>
        uri.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase)
        || string.Equals(forcedTransport ?? uri.Transport, "tls", StringComparison.OrdinalIgnoreCase);

    private static SipTransportProtocol? ProtocolOf(SipUri uri)
    {
        var secure = uri.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase);
        return uri.Transport switch
        {
            null => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Udp,
            "udp" when !secure => SipTransportProtocol.Udp,
            "tcp" => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => null,
        };
    }

    private SipRequest BuildInvite(byte[] metadata, string fromTag, uint sequence, SipHeader? authorization)
    {
        var sdp = BuildSdp(SdpDirection.SendOnly, _sdpVersion).ToBytes();
        var parts = new List<MimePart>
        {
            new([new SipHeader("Content-Type", "application/sdp")], sdp),
            new([new SipHeader("Content-Type", Metadata.RecordingMetadata.ContentType), new SipHeader("Content-Disposition", "recording-session")], metadata),
        };
        var body = MultipartBody.Build(parts, out var boundary);
        var requestUri = Uri! with { Headers = [] };
        var from = new NameAddress(null, _client.LocalUri, []).WithTag(fromTag);
        var to = new NameAddress(null, requestUri, []);
        var request = new SipRequest(SipMethods.Invite, requestUri)
        {
            Headers =
            [
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("From", from.ToString()),
                new SipHeader("To", to.ToString()),
                new SipHeader("Call-ID", CallId),
                new SipHeader("CSeq", sequence.ToString(CultureInfo.InvariantCulture) + " INVITE"),
                new SipHeader("Contact", Contact),
                new SipHeader("Require", "siprec"),
                new SipHeader("Supported", "timer"),
                new SipHeader("Allow", AllowValue),
                new SipHeader("Accept", AcceptValue),
            ],
        };
        if (SessionTimer.HeaderValue(_sessionExpires) is { } sessionExpires)
            request = request.AddHeader("Session-Expires", sessionExpires).AddHeader("Min-SE", ((long)_minSe.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (authorization is { } auth)
            request = request.AddHeader(auth.Name, auth.Value);
        foreach (var (name, value) in Settings.ExtraHeaders)
            request = request.AddHeader(name, value);
        return request.WithBody("multipart/mixed;boundary=" + QuoteBoundary(boundary), body);
    }

    private static string QuoteBoundary(string boundary) =>
        boundary.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)) ? boundary : "\"" + boundary + "\"";

    private SrsOutcome Finish(SrsOutcomeKind kind, int? statusCode, string detail)
    {
        lock (_gate)
        {
            _status = RecorderStatus.Ended;
            if (!_abandoned)
                _outcome = new SrsOutcome(SrsUri, kind, statusCode, detail);
            Log.InviteOutcome(_logger, SrsUri, kind, detail);
            return _outcome;
        }
    }

    /// <summary>In-dialog requests go to the route set or the remote target (RFC 3261 §12.2.1.1), over the INVITE's transport.</summary>
    private async Task<SipTarget> ResolveTargetAsync(SipDialog dialog, SipTarget fallback)
    {
        var target = dialog.RouteSet.Count > 0 ? dialog.RouteSet[0].Uri : dialog.RemoteTarget;
        try
        {
            using var cts = new CancellationTokenSource(_client.Options.NoAnswerTimeout, _client.Time);
            var protocol = target.Transport is null && !target.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase)
                ? fallback.Protocol
                : ProtocolOf(target) ?? fallback.Protocol;
            var plain = target with { Parameters = target.Parameters.Where(p => !p.Key.Equals("transport", StringComparison.OrdinalIgnoreCase)).ToList() };
            var found = await _client.Locator.LocateAsync(plain, cts.Token).ConfigureAwait(false);
            return found.Count > 0 ? new SipTarget(found[0], protocol, fallback.TlsHostName) : fallback;
        }
        catch (Exception ex)
        {
            Log.TargetUnresolved(_logger, SrsUri, target.ToString(), ex.Message);
            return fallback;
        }
    }

    private async Task SendAckAsync(SipDialog dialog, uint inviteSequence)
    {
        var ack = dialog.CreateAck(inviteSequence);
        await _client.Layer.SendAckAsync(ack, Destination!, CancellationToken.None).ConfigureAwait(false);
    }
}
