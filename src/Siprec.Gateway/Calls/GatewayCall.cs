using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Flows;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Twiml;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Recording;
using Siprec.Recording.MediaEngines;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Calls;

/// <summary>
/// One answered call (the gateway is the UAS and the bot endpoint): its dialog, its PCMU media, its recording
/// controller and its flow. Lifecycle: answered (200 sent) → up on ACK (media out, flow runs) → torn down once,
/// whoever ends it (caller BYE, the flow's hang-up, no ACK, shutdown, a required recording that is unavailable).
/// </summary>
internal sealed partial class GatewayCall : IAsyncDisposable
{
    private const string ByeReasonNoAck = "no ACK for 2xx";

    private readonly CallEnvironment _env;
    private readonly ILogger _logger;
    private readonly Action<GatewayCall, CallSummary> _onEnded;
    private readonly object _sync = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly DateTimeOffset _start;
    private readonly InDialogRequestHandler _requests;
    private readonly RtpengineAnchor? _anchor;
    private RtpStreamSender? _sender;
    private ITimer? _ackTimer;
    private Task? _flowTask;
    private FlowRunResult? _flowResult;
    private Task? _endTask;
    private bool _up;
    private bool _hangingUp;
    private long _callerPackets;

    /// <param name="env">What the gateway's calls share.</param>
    /// <param name="invite">The server transaction of the initial INVITE.</param>
    /// <param name="dialog">The dialog created as UAS.</param>
    /// <param name="socket">The call's RTP socket (owned by the call from now on).</param>
    /// <param name="remoteRtp">Where the caller wants our RTP (from its offer).</param>
    /// <param name="localSdp">Our answer, repeated to re-INVITEs.</param>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="onEnded">Told once, after teardown, with the call's summary.</param>
    /// <param name="anchor">The call's media anchor at rtpengine (released at teardown); null when the media is the gateway's.</param>
    public GatewayCall(CallEnvironment env, ServerTransaction invite, Dialog dialog, RtpSocket socket, IPEndPoint remoteRtp,
                       byte[] localSdp, string callSid, Action<GatewayCall, CallSummary> onEnded, RtpengineAnchor? anchor = null)
    {
        _anchor = anchor;
        _env = env;
        _onEnded = onEnded;
        _logger = env.LoggerFactory.CreateLogger<GatewayCall>();
        InviteTransaction = invite;
        Dialog = dialog;
        Socket = socket;
        RemoteRtp = remoteRtp;
        SignallingPeer = invite.Incoming.Remote;
        SignallingTransport = invite.Incoming.Transport;
        _requests = new InDialogRequestHandler(this, localSdp, _logger);
        CallSid = callSid;
        _start = env.Time.GetUtcNow();
        var invitation = invite.Request;
        var recordedCall = new RecordedCall(dialog.Id.CallId, invitation.From!, invitation.To!, _start);
        AccountSid = env.AccountFor(invitation);
        var resources = new RecordingResources(AccountSid, callSid, env.Time, env.Metrics, env.StatusSink);
        Controller = new RecordingController(connector => (env.Edges?.For(connector, env.Src) ?? env.Src).CreateSession(recordedCall), callSid, env.LoggerFactory.CreateLogger<RecordingController>(),
            resources, env.Metrics, env.RecordingRequired, EndUnrecordable, env.Time, env.OperationTimeout, env.StreamBudget);
        Application = env.Twiml is null ? null : env.Applications?.For(invitation, AccountSid);
        InfoHandler = new InfoRequestHandler(Controller, env.WarnAgent, env.MaxRecorders, callSid, env.LoggerFactory.CreateLogger<InfoRequestHandler>());
    }

    /// <summary>The call's media anchor at rtpengine; null when the media is the gateway's.</summary>
    internal RtpengineAnchor? Anchor => _anchor;

    /// <summary>The engine holding <see cref="Anchor"/>.</summary>
    internal RtpengineMediaEngine? MediaAnchor => _env.MediaAnchor;

    /// <summary>"CA" + 32 hex.</summary>
    public string CallSid { get; }

    /// <summary>The REST account the call belongs to; null when none (the REST API cannot see it).</summary>
    public string? AccountSid { get; }

    /// <summary>The caller's address (the INVITE's From URI), as the REST Calls resource shows it in <c>from</c> and a TwiML webhook in <c>From</c>.</summary>
    public string From => InviteTransaction.Request.From?.Uri.ToString() ?? "";

    /// <summary>The called address (the INVITE's To URI), as the REST Calls resource shows it in <c>to</c> and a TwiML webhook in <c>To</c>.</summary>
    public string To => InviteTransaction.Request.To?.Uri.ToString() ?? "";

    /// <summary>When the gateway answered the call (its 200 OK): the Calls resource's <c>start_time</c>.</summary>
    public DateTimeOffset AnsweredAt => _start;

    /// <summary>The call's dialog (RFC 3261 §12).</summary>
    public Dialog Dialog { get; }

    /// <summary>The initial INVITE's server transaction.</summary>
    public ServerTransaction InviteTransaction { get; }

    /// <summary>Where the INVITE came from; BYE goes there when the remote target is not an IP address.</summary>
    public IPEndPoint SignallingPeer { get; }

    /// <summary>The transport the INVITE came in on; the call's BYE uses it too (its listener has no other).</summary>
    public SipTransportProtocol SignallingTransport { get; }

    /// <summary>The call's RTP socket.</summary>
    public RtpSocket Socket { get; }

    /// <summary>The caller's RTP address.</summary>
    public IPEndPoint RemoteRtp { get; }

    /// <summary>Cancelled when the call is torn down; bounds requests (INFO, REST) carried out on the call.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>The call's recording controller (one per call; every entry point goes through it).</summary>
    public RecordingController Controller { get; }

    /// <summary>The TwiML/TeXML application the call runs instead of the JSON flow; null when none.</summary>
    public VoiceApplication? Application { get; }

    /// <summary>The call's INFO handler (SIP INFO and the node's in-process INFO).</summary>
    public InfoRequestHandler InfoHandler { get; }

    /// <summary>RTP packets received from the caller (valid PCMU only).</summary>
    public long CallerPackets => Interlocked.Read(ref _callerPackets);

    /// <summary>RTP packets the bot sent.</summary>
    public long BotPackets => _sender?.PacketsSent ?? 0;

    /// <summary>Completes when the call has been torn down.</summary>
    public Task Ended => _endTask ?? Task.CompletedTask;

    /// <summary>Starts receiving the caller's RTP and the RFC 3261 §13.3.1.4 wait for the ACK (64*T1).</summary>
    public void Answered(TimeSpan ackWait)
    {
        Socket.Start(OnCallerRtp);
        _ackTimer = _env.Time.CreateTimer(_ => OnAckTimeout(), null, ackWait, Timeout.InfiniteTimeSpan);
        Log.CallAnswered(_logger, CallSid, Dialog.Id.CallId, RemoteRtp.ToString(), Socket.LocalEndPoint.ToString());
    }

    /// <summary>The ACK for our 2xx: the call is up; the bot's media starts and the flow runs.</summary>
    public void OnAck()
    {
        lock (_sync)
        {
            if (_up || _endTask is not null)
            {
                return;
            }
            _up = true;
            _ackTimer?.Dispose();
            _sender = new RtpStreamSender(Socket, RemoteRtp, new RtpStreamSenderOptions(), _env.Time);
            _sender.PacketSent += Controller.OnBotRtp;
            _sender.Start();
            if (_env.Flow is not null || Application is not null)
            {
                _flowTask = Task.Run(RunFlowAsync);
            }
        }
        using var scope = LogScope.ForCall(_logger, CallSid);
        Log.CallUp(_logger, CallSid, _env.Flow is not null || Application is not null);
    }

    /// <summary>Plays samples to the caller (8 kHz mono); completes when the last frame was sent.</summary>
    /// <exception cref="InvalidOperationException">The call is not up (no ACK yet, or ended).</exception>
    public Task PlayAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        var sender = _sender;
        if (sender is null || _endTask is not null)
        {
            throw new InvalidOperationException($"call {CallSid} is not up; cannot play");
        }
        return sender.PlayAsync(samples, cancellationToken);
    }

    /// <summary>
    /// The node's INFO, dispatched in-process to the same <see cref="InfoHandler"/> that serves INFO over SIP:
    /// the request is built on the call's dialog exactly as the feature server would send it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call has ended.</exception>
    public async Task<InfoAnswer> SendInfoAsync(InfoRequestContent info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        SipRequest request;
        lock (_sync)
        {
            if (_endTask is not null)
            {
                throw new InvalidOperationException($"call {CallSid} has ended; INFO not sent");
            }
            request = Dialog.CreateRequest(SipMethods.Info);
        }
        foreach (var header in info.Headers)
        {
            request = request.AddHeader(header.Key, header.Value);
        }
        if (info.Body is not null)
        {
            request = request.WithBody(info.ContentType ?? InfoRequestMapping.JsonContentType, Encoding.UTF8.GetBytes(info.Body));
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var response = await InfoHandler.HandleAsync(request, linked.Token).ConfigureAwait(false);
        return new InfoAnswer(response.StatusCode, response.ReasonPhrase, response.GetHeader(WarningHeader.Name));
    }

    /// <summary>The bot hangs up: BYE on the dialog (waits for its answer), then the call is torn down.</summary>
    public async Task HangUpAsync(CancellationToken cancellationToken)
    {
        if (await SendByeAsync(null, cancellationToken).ConfigureAwait(false))
        {
            _ = EndAsync(CallEndReason.LocalHangUp);
        }
    }

    /// <summary>
    /// Tears the call down once (later calls return the same task): stops the flow, stops the recording (BYE to
    /// every SRS), releases the media and reports the summary.
    /// </summary>
    public Task EndAsync(CallEndReason reason)
    {
        lock (_sync)
        {
            return _endTask ??= Task.Run(() => TearDownAsync(reason));
        }
    }

    /// <summary>Ends the call for a gateway shutdown: BYE when it was answered, then teardown.</summary>
    public async ValueTask DisposeAsync()
    {
        using var bounded = new CancellationTokenSource(_env.TeardownGrace, _env.Time);
        await SendByeAsync(NormalClearing("shutdown"), bounded.Token).ConfigureAwait(false);
        await EndAsync(CallEndReason.Shutdown).ConfigureAwait(false);
    }

    private void OnCallerRtp(ReadOnlySpan<byte> packet, IPEndPoint remote)
    {
        if (!RtpHeader.TryRead(packet, out var header, out _) || header.PayloadType != G711.PcmuPayloadType)
        {
            return;
        }
        Interlocked.Increment(ref _callerPackets);
        Controller.OnCallerRtp(packet);
    }

    private void OnAckTimeout()
    {
        lock (_sync)
        {
            if (_up || _endTask is not null)
            {
                return;
            }
        }
        using (LogScope.ForCall(_logger, CallSid))
        {
            Log.NoAck(_logger, CallSid);
        }
        _ = Task.Run(async () =>
        {
            using var bounded = new CancellationTokenSource(_env.TeardownGrace, _env.Time);
            await SendByeAsync(NormalClearing(ByeReasonNoAck), bounded.Token).ConfigureAwait(false);
            await EndAsync(CallEndReason.NoAck).ConfigureAwait(false);
        });
    }

    private async Task TearDownAsync(CallEndReason reason)
    {
        using var scope = LogScope.ForCall(_logger, CallSid);
        _ackTimer?.Dispose();
        var flowTask = _flowTask;
        if (reason != CallEndReason.LocalHangUp)
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
        if (flowTask is not null)
        {
            // After the bot's own hang-up the flow finishes by itself; give it the grace period before cancelling it.
            try
            {
                await flowTask.WaitAsync(_env.TeardownGrace, _env.Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.FlowDidNotStop(_logger, CallSid);
            }
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);

        using (var bounded = new CancellationTokenSource(_env.TeardownGrace, _env.Time))
        {
            await Controller.StopForCallEndAsync(bounded.Token).ConfigureAwait(false);
        }
        if (_sender is not null)
        {
            await _sender.DisposeAsync().ConfigureAwait(false);
        }
        await Socket.DisposeAsync().ConfigureAwait(false);
        await Controller.DisposeAsync().ConfigureAwait(false);
        if (_anchor is not null)
        {
            // After the recorders' unsubscribes: the anchor's delete ends the call at rtpengine.
            await _env.MediaAnchor!.ReleaseAsync(_anchor).ConfigureAwait(false);
        }

        var summary = new CallSummary(CallSid, Dialog.Id.CallId, _start, _env.Time.GetUtcNow(), _flowResult,
            Controller.Outcomes, Controller.Events, InfoHandler.Exchanges);
        Log.CallEnded(_logger, CallSid, reason.ToString(), CallerPackets, BotPackets);
        _onEnded(this, summary);
    }

    private async Task RunFlowAsync()
    {
        using var scope = LogScope.ForCall(_logger, CallSid);
        var control = new GatewayCallControl(this, _env.Prompts);
        try
        {
            if (Application is not null)
            {
                // A TwiML/TeXML document replaces the JSON flow; it hangs up itself when it is done.
                await _env.Twiml!.RunAsync(control, Application, _lifetime.Token).ConfigureAwait(false);
            }
            else
            {
                var inputs = new FlowInputs { Context = (Newtonsoft.Json.Linq.JObject)_env.FlowContext.DeepClone() };
                _flowResult = await new FlowRunner(_env.Time, _env.LoggerFactory).RunAsync(_env.Flow!, control, inputs, _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.FlowFailed(_logger, ex, CallSid);
        }
        if (_lifetime.IsCancellationRequested)
        {
            Log.FlowCancelled(_logger, CallSid);
            return;
        }
        Log.FlowFinished(_logger, CallSid);
        // The flow is the bot: when it is done and nobody hung up, the bot hangs up.
        using var bounded = new CancellationTokenSource(_env.TeardownGrace, _env.Time);
        await HangUpAsync(bounded.Token).ConfigureAwait(false);
    }
}
