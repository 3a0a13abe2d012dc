using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Security;
using Siprec.Media.Rtp;
using Siprec.Recording.MediaEngines;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Calls;

/// <summary>
/// The transaction user of every SIP listener of the gateway (RFC 3261 §8.2 UAS behaviour): drops untrusted sources
/// with 403, answers new INVITEs offering PCMU as the bot, routes in-dialog requests to their call (481 when
/// there is none), answers OPTIONS 200 and everything else 405. Every request gets exactly one final response.
/// </summary>
internal sealed class CallRouter : ITransactionUser, IAsyncDisposable
{
    private readonly TrustedPeerList _trusted;
    private readonly IPAddress _mediaAddress;
    private readonly RtpPortRange? _rtpPorts;
    private readonly SipTransactionOptions _transactionOptions;
    private readonly ILogger _logger;
    private readonly Action<CallSummary> _onCallEnded;
    private readonly EndedCallRetention _endedCalls;
    private readonly ConcurrentDictionary<string, GatewayCall> _calls = new(StringComparer.Ordinal);
    private IReadOnlyList<GatewayListener>? _listeners;

    /// <param name="trusted">Sources that are served.</param>
    /// <param name="mediaAddress">Where call RTP sockets bind.</param>
    /// <param name="rtpPorts">The ports they bind (an even one of the range); null for the ephemeral range.</param>
    /// <param name="transactionOptions">T1 etc.; the ACK wait is 64*T1.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="onCallEnded">Told about every call after its teardown.</param>
    /// <param name="endedCalls">Keeps torn-down calls' sessions readable by the REST API for a while.</param>
    public CallRouter(TrustedPeerList trusted, IPAddress mediaAddress, RtpPortRange? rtpPorts, SipTransactionOptions transactionOptions, ILogger<CallRouter> logger,
                      Action<CallSummary> onCallEnded, EndedCallRetention endedCalls)
    {
        _trusted = trusted;
        _mediaAddress = mediaAddress;
        _rtpPorts = rtpPorts;
        _transactionOptions = transactionOptions;
        _logger = logger;
        _onCallEnded = onCallEnded;
        _endedCalls = endedCalls;
    }

    /// <summary>The header of the 200 OK to an INVITE that carries the call's SID (<c>CA</c> + 32 hex), as jambonz's feature server knows it.</summary>
    public const string CallSidHeader = "X-Call-Sid";

    /// <summary>The bound listeners, each with its call environment; set once their transaction layers exist (they refer to each other).</summary>
    public IReadOnlyList<GatewayListener> Listeners
    {
        get => _listeners ?? throw new InvalidOperationException("the call router has no listeners yet");
        set => _listeners = value;
    }

    /// <summary>
    /// Draining (issue 15): OPTIONS outside a dialog and new INVITEs are answered 503 (the INVITE with <c>Retry-After</c>), so a
    /// dispatcher probing with OPTIONS stops sending calls; established calls go on. Null: not draining; else the Retry-After seconds.
    /// </summary>
    public int? DrainRetryAfterSecs { get; set; }

    /// <summary>Told about every call right after its 200 OK was sent (cluster mode registers it); null: nobody.</summary>
    public Action<GatewayCall>? OnCallAnswered { get; set; }

    /// <summary>Calls not yet torn down.</summary>
    public int ActiveCallCount => _calls.Count;

    /// <summary>The SIDs of the calls not yet torn down.</summary>
    public IReadOnlyList<string> ActiveCallSids => _calls.Values.Select(c => c.CallSid).ToList();

    /// <summary>The call with this SID that is not yet torn down; null when none.</summary>
    public GatewayCall? FindCall(string callSid) => _calls.Values.FirstOrDefault(c => c.CallSid == callSid);

    /// <summary>The torn-down call with this SID whose sessions are still kept; null when none.</summary>
    public EndedCall? FindEndedCall(string callSid) => _endedCalls.Find(callSid);

    /// <summary>The calls not yet torn down, in no particular order.</summary>
    public IReadOnlyList<GatewayCall> LiveCalls => _calls.Values.ToList();

    /// <summary>The torn-down calls still kept, oldest first.</summary>
    public IReadOnlyList<EndedCall> EndedCalls => _endedCalls.All;

    /// <inheritdoc />
    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        try
        {
            var remote = transaction.Incoming.Remote;
            if (!_trusted.IsTrusted(remote.Address))
            {
                Log.UntrustedSource(_logger, request.Method, remote.ToString());
                await transaction.RespondAsync(SipResponse.CreateFor(request, 403), cancellationToken).ConfigureAwait(false);
                return;
            }
            var toTag = request.To?.Tag;
            if (toTag is not null)
            {
                if (_calls.TryGetValue(Key(request.CallId, toTag), out var call))
                {
                    await call.HandleRequestAsync(transaction, cancellationToken).ConfigureAwait(false);
                    return;
                }
                if (request.Method == SipMethods.Options)
                {
                    await RespondOptionsAsync(transaction, cancellationToken).ConfigureAwait(false);
                    return;
                }
                Log.UnknownDialog(_logger, request.Method, request.CallId ?? "none", remote.ToString());
                await transaction.RespondAsync(SipResponse.CreateFor(request, 481), cancellationToken).ConfigureAwait(false);
                return;
            }
            if (DrainRetryAfterSecs is { } retryAfter && request.Method is SipMethods.Invite or SipMethods.Options)
            {
                Log.RefusedWhileDraining(_logger, request.Method, request.CallId ?? "none", remote.ToString());
                var refusal = SipResponse.CreateFor(request, 503, "Draining");
                await transaction.RespondAsync(request.Method == SipMethods.Invite ? refusal.AddHeader("Retry-After", retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)) : refusal,
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            switch (request.Method)
            {
                case SipMethods.Invite:
                    await AnswerInviteAsync(transaction, cancellationToken).ConfigureAwait(false);
                    break;
                case SipMethods.Options:
                    await RespondOptionsAsync(transaction, cancellationToken).ConfigureAwait(false);
                    break;
                case SipMethods.Bye or SipMethods.Info or SipMethods.Update:
                    await transaction.RespondAsync(SipResponse.CreateFor(request, 481), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await transaction.RespondAsync(SipResponse.CreateFor(request, 405).AddHeader("Allow", GatewayCall.Allow), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RequestFailed(_logger, ex, request.Method);
            if (!transaction.IsFinal)
            {
                await transaction.RespondAsync(SipResponse.CreateFor(request, 500), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void OnAck(IncomingMessage ack)
    {
        if (!_trusted.IsTrusted(ack.Remote.Address) || ack.Message.To?.Tag is not { } tag)
        {
            return;
        }
        if (_calls.TryGetValue(Key(ack.Message.CallId, tag), out var call))
        {
            call.OnAck();
        }
    }

    /// <inheritdoc />
    public void OnStrayResponse(IncomingMessage response) => Log.StrayResponse(_logger, response.Message.CallId ?? "", response.Remote.ToString());

    /// <inheritdoc />
    public void OnCancelled(ServerTransaction inviteTransaction)
    {
        foreach (var (key, call) in _calls)
        {
            if (ReferenceEquals(call.InviteTransaction, inviteTransaction))
            {
                _ = call.EndAsync(CallEndReason.Cancelled);
            }
        }
    }

    /// <summary>Hangs up every call (BYE) and waits for their teardown.</summary>
    public async ValueTask DisposeAsync()
    {
        var calls = _calls.Values.ToList();
        await Task.WhenAll(calls.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private async Task AnswerInviteAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var invite = transaction.Request;
        var listener = ListenerFor(transaction.Incoming);
        var env = listener.Environment;
        if (invite.From is null || invite.To is null || invite.CallId is null)
        {
            await transaction.RespondAsync(SipResponse.CreateFor(invite, 400, "Missing From, To or Call-ID"), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!CallSdp.TryReadPcmu(invite, out var remoteRtp, out var sdpError))
        {
            Log.OfferRefused(_logger, invite.CallId, sdpError ?? "");
            var refusal = SipResponse.CreateFor(invite, 488)
                .AddHeader(WarningHeader.Name, $"305 {env.WarnAgent} \"Incompatible media format: only PCMU (payload type 0) is accepted\"");
            await transaction.RespondAsync(refusal, cancellationToken).ConfigureAwait(false);
            return;
        }
        RtpSocket socket;
        try
        {
            socket = RtpSocket.Bind(_mediaAddress, _rtpPorts, null);
        }
        catch (SocketException ex)
        {
            Log.MediaUnavailable(_logger, ex, _mediaAddress.ToString(), ex.Message, invite.CallId);
            await transaction.RespondAsync(SipResponse.CreateFor(invite, 503).AddHeader("Retry-After", "5"), cancellationToken).ConfigureAwait(false);
            return;
        }
        var localTag = SipIds.NewTag();
        var contact = listener.Bound.ContactFor("bot", invite.RequestUri);
        var dialog = Dialog.CreateAsUas(invite, localTag, contact);
        var sdp = CallSdp.Build(socket.LocalEndPoint, CallSdp.NewSessionId());
        RtpengineAnchor? anchor;
        try
        {
            anchor = await AnchorAsync(env, invite, localTag, sdp, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await socket.DisposeAsync().ConfigureAwait(false); // shutting down mid-anchoring: the call never existed
            throw;
        }
        if (anchor is not null)
        {
            // The caller talks to rtpengine, the bot too: both SDPs point at rtpengine's ports (RFC 3264 answer for the caller).
            remoteRtp = anchor.BotRemote;
            sdp = Encoding.UTF8.GetBytes(anchor.CallerSdp);
        }
        var call = new GatewayCall(env, transaction, dialog, socket, remoteRtp!, sdp, CallSids.New(), OnCallEnded, anchor);
        var key = Key(invite.CallId, localTag);
        _calls[key] = call;
        if (transaction.IsFinal)
        {
            // CANCEL won the race: the layer already answered 487.
            await call.EndAsync(CallEndReason.Cancelled).ConfigureAwait(false);
            return;
        }
        // X-Call-Sid: the feature server that placed the call learns the SID the REST API knows it by (issue 13).
        var ok = SipResponse.CreateFor(invite, 200, toTag: localTag)
            .AddHeader("Contact", $"<{contact}>")
            .AddHeader(CallSidHeader, call.CallSid)
            .AddHeader("Allow", GatewayCall.Allow)
            .AddHeader("Supported", "timer")
            .WithBody(CallSdp.ContentType, sdp);
        await transaction.RespondAsync(ok, cancellationToken).ConfigureAwait(false);
        call.Answered(_transactionOptions.T1 * 64);
        OnCallAnswered?.Invoke(call);
    }

    /// <summary>
    /// With the rtpengine engine, anchors the call's media there (offer = the caller's SDP, answer = the bot's); null for the
    /// embedded engine, or when no instance anchors it (logged: the call goes on with its media at the gateway).
    /// </summary>
    private async Task<RtpengineAnchor?> AnchorAsync(CallEnvironment env, SipRequest invite, string localTag, byte[] botSdp, CancellationToken cancellationToken)
    {
        if (env.MediaAnchor is not { } engine)
        {
            return null;
        }
        try
        {
            // The SDP part only (an offer may come as multipart with ISUP or metadata, which rtpengine would refuse).
            CallSdp.TryGetSdpText(invite, out var offer, out _);
            return await engine.AnchorAsync(invite.CallId!, invite.From!.Tag ?? "", offer ?? "", localTag,
                Encoding.UTF8.GetString(botSdp), cancellationToken).ConfigureAwait(false);
        }
        catch (MediaEngineException ex)
        {
            Log.AnchorFailed(_logger, invite.CallId!, ex.Message);
            return null;
        }
    }

    /// <summary>The listener a request arrived on: the one whose transport and bound address match its envelope.</summary>
    private GatewayListener ListenerFor(IncomingMessage incoming) => Listeners.FirstOrDefault(l => l.Bound.Received(incoming)) ?? Listeners[0];

    private static Task RespondOptionsAsync(ServerTransaction transaction, CancellationToken cancellationToken) =>
        transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, 200)
            .AddHeader("Allow", GatewayCall.Allow)
            .AddHeader("Accept", CallSdp.ContentType + ", application/json"), cancellationToken).AsTask();

    private void OnCallEnded(GatewayCall call, CallSummary summary)
    {
        // Kept before it leaves the live calls, so a REST lookup always finds it in one of the two.
        _endedCalls.Retain(call.CallSid, call.AccountSid, call.Controller.Resources.All, (call.From, call.To, call.AnsweredAt));
        _calls.TryRemove(Key(call.Dialog.Id.CallId, call.Dialog.Id.LocalTag), out _);
        _onCallEnded(summary);
    }

    private static string Key(string? callId, string localTag) => (callId ?? "") + "\n" + localTag;
}
