using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Load;

/// <summary>
/// The harness's lean UAC: one UDP SIP socket and one transaction layer for every call it places. A call is an INVITE
/// with a PCMU offer (RFC 3264) naming its RTP shard's socket, the ACK of the 2xx, a recording start by in-dialog INFO
/// (DESIGN §4.1: <c>X-Reason: startCallRecording</c>, <c>X-Srs-Url</c>, <c>X-Srs-Recording-ID</c>) and a BYE.
/// </summary>
internal sealed class SipCaller : IAsyncDisposable
{
    private const string User = "load-caller";
    private readonly UdpSipTransport _transport;
    private readonly TransactionLayer _layer;
    private readonly CallerUser _user = new();
    private readonly IPEndPoint _gateway;
    private readonly SipUri _gatewayUri;

    /// <param name="local">Address of the SIP socket (any free port).</param>
    /// <param name="gateway">The gateway's SIP UDP address.</param>
    public SipCaller(IPAddress local, IPEndPoint gateway)
    {
        _gateway = gateway;
        _gatewayUri = SipUri.Parse($"sip:bot@{gateway}");
        _transport = new UdpSipTransport(new IPEndPoint(local, 0));
        _layer = new TransactionLayer(_transport, _user, TimeProvider.System, new SipTransactionOptions());
        _user.Layer = _layer;
        _layer.Start();
    }

    /// <summary>Requests from the gateway that matched none of our calls.</summary>
    public long StrayRequests => _user.StrayRequests;

    /// <summary>
    /// INVITE → final response; on a 2xx the dialog is made, the ACK sent and the gateway's RTP address read from its answer.
    /// </summary>
    /// <returns>The final status (408 for a timeout, 503 for a transport error) and, when it failed, why.</returns>
    public async Task<(int Status, string? Error)> PlaceCallAsync(LoadCall call, IPEndPoint localRtp, CancellationToken cancellationToken)
    {
        var invite = BuildInvite(localRtp);
        call.CallId = invite.CallId!;
        _user.Add(call);
        var outcome = await _layer.SendRequestAsync(invite, _gateway, null, cancellationToken).ConfigureAwait(false);
        var status = outcome.Response?.StatusCode ?? (outcome.Kind == TransactionOutcomeKind.Timeout ? 408 : 503);
        if (!outcome.IsSuccess)
        {
            _user.Remove(call);
            return (status, outcome.Error ?? outcome.Response?.ReasonPhrase);
        }
        var ok = outcome.Response!;
        var dialog = Dialog.CreateAsUac(invite, ok);
        var ack = dialog.CreateAck(invite.CSeq!.Value.Sequence);
        lock (call.Sync)
        {
            call.Dialog = dialog;
            call.Ack = ack;
        }
        await _layer.SendAckAsync(ack, _gateway, CancellationToken.None).ConfigureAwait(false);
        if (!TryReadRtpTarget(ok, out var target, out var error))
        {
            return (488, error);
        }
        call.RtpTarget = target;
        call.RtpTargetAddress = target!.Serialize();
        return (status, null);
    }

    /// <summary>Sends the recording start INFO and times it from the send to the final response.</summary>
    /// <returns>The final status and the milliseconds it took.</returns>
    public async Task<(int Status, double Milliseconds)> StartRecordingAsync(LoadCall call, string srsUri, CancellationToken cancellationToken)
    {
        SipRequest info;
        lock (call.Sync)
        {
            info = call.Dialog!.CreateRequest(SipMethods.Info);
        }
        info = info.AddHeader("X-Reason", "startCallRecording").AddHeader("X-Srs-Url", srsUri).AddHeader("X-Srs-Recording-ID", call.RecordingId);
        var started = Stopwatch.GetTimestamp();
        var outcome = await _layer.SendRequestAsync(info, _gateway, null, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (outcome.Response?.StatusCode ?? (outcome.Kind == TransactionOutcomeKind.Timeout ? 408 : 503), elapsed);
    }

    /// <summary>BYE on the call's dialog (unless the gateway already ended it); the call is forgotten afterwards.</summary>
    /// <returns>The BYE's final status, or 0 when the gateway had ended the call.</returns>
    public async Task<int> HangUpAsync(LoadCall call, CancellationToken cancellationToken)
    {
        call.RtpActive = false;
        try
        {
            if (call.Dialog is null || call.EndedByGateway) return 0;
            SipRequest bye;
            lock (call.Sync)
            {
                bye = call.Dialog.CreateRequest(SipMethods.Bye);
            }
            var outcome = await _layer.SendRequestAsync(bye, _gateway, null, cancellationToken).ConfigureAwait(false);
            return outcome.Response?.StatusCode ?? (outcome.Kind == TransactionOutcomeKind.Timeout ? 408 : 503);
        }
        finally
        {
            _user.Remove(call);
        }
    }

    /// <summary>Stops the transaction layer and closes the SIP socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _layer.DisposeAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private SipRequest BuildInvite(IPEndPoint localRtp)
    {
        var local = _transport.LocalEndPoint;
        var caller = SipUri.Parse($"sip:{User}@{local}");
        var address = localRtp.Address.ToString();
        var sessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        // One PCMU stream, 20 ms packets, both directions: what the gateway's bot endpoint answers (RFC 3264 §5).
        var sdp = string.Create(CultureInfo.InvariantCulture,
            $"v=0\r\no=- {sessionId} 1 IN IP4 {address}\r\ns=-\r\nc=IN IP4 {address}\r\nt=0 0\r\nm=audio {localRtp.Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n");
        return new SipRequest(SipMethods.Invite, _gatewayUri)
        {
            Headers =
            [
                new SipHeader("From", new NameAddress(caller).WithTag(SipIds.NewTag()).ToString()),
                new SipHeader("To", new NameAddress(_gatewayUri).ToString()),
                new SipHeader("Call-ID", SipIds.NewCallId(local.Address.ToString())),
                new SipHeader("CSeq", "1 INVITE"),
                new SipHeader("Contact", $"<{caller}>"),
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("User-Agent", "siprec-load"),
            ],
        }.WithBody("application/sdp", Encoding.ASCII.GetBytes(sdp));
    }

    private static bool TryReadRtpTarget(SipResponse ok, out IPEndPoint? target, out string? error)
    {
        target = null;
        if (!SdpSession.TryParse(ok.Body.Span, out var session, out error) || session is null)
        {
            error = "the 2xx's SDP does not parse: " + error;
            return false;
        }
        foreach (var media in session.Media)
        {
            if (media.Media != "audio" || media.Port <= 0) continue;
            if (session.ConnectionFor(media) is not { } connection || !IPAddress.TryParse(connection.Address, out var address))
            {
                error = "the answer's audio stream has no c= address";
                return false;
            }
            target = new IPEndPoint(address, media.Port);
            return true;
        }
        error = "the answer has no active audio stream";
        return false;
    }
}
