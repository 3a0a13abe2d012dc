using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.FlowNode.Flows;
using Siprec.Gateway.Callbacks;
using Siprec.Gateway.Calls;
using Siprec.Gateway.Observability;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Rest;
using Siprec.Gateway.Security;
using Siprec.Gateway.Twiml;
using Siprec.Recording;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

using Siprec.Media.Rtpengine;
using Siprec.Recording.MediaEngines;

namespace Siprec.Gateway;

/// <summary>
/// The recording gateway (the SBC side, DESIGN §2 and §4.2): answers calls on its SIP listeners (UDP, TCP, TLS; one
/// transaction layer each, <see cref="GatewayOptions.AdditionalListenEndPoints"/>) as the bot, runs the flow on each,
/// serves the recording INFO on the call's dialog, and records through one SIPREC client (RFC 7866 SRC) on its own
/// SIP endpoint. Requests from outside <see cref="GatewayOptions.TrustedPeers"/> get 403.
/// </summary>
public sealed partial class RecordingGateway : IAsyncDisposable
{
    private static readonly TimeSpan TeardownGrace = TimeSpan.FromSeconds(5);

    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private readonly List<CallSummary> _completed = [];
    private IReadOnlyList<GatewayListener>? _listeners;
    private bool _started;
    private Task? _disposal;
    private SiprecClient? _src;
    private RtpengineMediaEngine? _mediaEngine;
    private EdgeEgress? _edges;
    private CallRouter? _router;
    private CallbackDispatcher? _callbacks;
    private TwimlApplicationRunner? _twiml;
    private RestApi? _rest;
    private Cluster.ClusterRegistry? _registry;
    private readonly TaskCompletionSource<string> _drainRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the gateway; nothing is bound until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Endpoints, flow, prompts and limits.</param>
    /// <param name="time">The clock for SIP timers, RTP pacing and flows.</param>
    /// <param name="loggerFactory">Loggers; per-call lines are scoped by <c>CallSid</c>.</param>
    public RecordingGateway(GatewayOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RecordingGateway>();
    }

    /// <summary>The bound UDP SIP endpoint for calls and INFO (the real port when 0 was asked for).</summary>
    /// <exception cref="InvalidOperationException">Not started, or the gateway has no UDP listener.</exception>
    public IPEndPoint SipEndPoint =>
        Listeners.FirstOrDefault(l => l.Bound.Transport == SipTransportProtocol.Udp)?.Bound.EndPoint
        ?? throw new InvalidOperationException("the gateway has no UDP listener (GatewayOptions.SipEndPoint is null)");

    /// <summary>Every bound SIP listener for calls and INFO with its real port, UDP <see cref="GatewayOptions.SipEndPoint"/> first.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public IReadOnlyList<SipListenEndPoint> ListenEndPoints => Listeners.Select(l => l.Bound).ToList();

    private IReadOnlyList<GatewayListener> Listeners => _listeners ?? throw new InvalidOperationException("the gateway is not started");

    /// <summary>The SIPREC client's own SIP endpoint (the SRC's recording dialogs).</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public IPEndPoint SrcSipEndPoint => _src?.SipEndPoint ?? throw new InvalidOperationException("the gateway is not started");

    /// <summary>Raised once per call after its teardown (media released, recorders sent BYE). Handler exceptions are logged, not thrown.</summary>
    public event Action<CallSummary>? CallEnded;

    /// <summary>Every call torn down so far, in the order they ended.</summary>
    public IReadOnlyList<CallSummary> CompletedCalls
    {
        get { lock (_sync) return _completed.ToList(); }
    }

    /// <summary>The bound REST API endpoint; null when <see cref="GatewayOptions.HttpEndPoint"/> is null.</summary>
    public IPEndPoint? HttpEndPoint => _rest?.EndPoint;

    /// <summary>The endpoints of the REST port (routes and operator endpoints); empty without one.</summary>
    internal IReadOnlyList<Microsoft.AspNetCore.Http.Endpoint> HttpEndpoints => _rest?.Endpoints ?? [];

    /// <summary>The gateway's instruments (meter <see cref="GatewayMetrics.MeterName"/>).</summary>
    internal GatewayMetrics Metrics { get; } = new();

    /// <summary>The status callback queue; null before <see cref="StartAsync"/>.</summary>
    internal CallbackDispatcher? Callbacks => _callbacks;

    /// <summary>The SIDs of the calls not yet torn down.</summary>
    internal IReadOnlyList<string> ActiveCallSids => _router?.ActiveCallSids ?? [];

    /// <summary>The live call with this SID, or null.</summary>
    internal GatewayCall? FindCall(string callSid) => _router?.FindCall(callSid);

    /// <summary>The ended call with this SID whose sessions are still kept (<see cref="GatewayOptions.EndedCallRetention"/>), or null.</summary>
    internal EndedCall? FindEndedCall(string callSid) => _router?.FindEndedCall(callSid);

    /// <summary>Calls currently answered or up.</summary>
    public int ActiveCallCount => _router?.ActiveCallCount ?? 0;

    /// <summary>
    /// Validates the options, loads the flow, starts the SRC, binds every SIP listener and starts answering.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range (named in the message), e.g. a bad TrustedPeers entry,
    /// a TLS listener without <see cref="GatewayOptions.TlsCertificate"/>, or no listener at all.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A SIP listener cannot be bound.</exception>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_started)
        {
            throw new InvalidOperationException("the gateway is already started");
        }
        var trusted = GatewayOptionsValidation.Validate(_options);
        var connectors = Configuration.ConnectorEdges.Resolve(_options.Connectors, _options.Edges);
        _started = true;
        var listenEndPoints = _options.ListenEndPoints;
        var flow = _options.FlowPath is null ? null : FlowDefinition.Load(_options.FlowPath);

        var srcOptions = new SrcOptions
        {
            SipEndPoint = new IPEndPoint(listenEndPoints[0].EndPoint.Address, 0),
            MediaAddress = _options.MediaAddress,
            RtpPorts = _options.RtpPorts,
            NoAnswerTimeout = _options.NoAnswerTimeout,
            MaxRecorders = _options.MaxRecorders,
            Tls = _options.SrcTls,
            UdpMaxBytes = _options.UdpMaxBytes,
        };
        var locator = SrsLocator = CreateLocator(_options.Dns);
        _mediaEngine = CreateMediaEngine();
        _src = new SiprecClient(srcOptions, _time, _loggerFactory, locator, _mediaEngine);
        await _src.StartAsync(ct).ConfigureAwait(false);
        _edges = await EdgeEgress.StartAsync(connectors, _options.Edges, srcOptions, o => new SiprecClient(o, _time, _loggerFactory, locator, _mediaEngine), ct)
            .ConfigureAwait(false);
        _callbacks = new CallbackDispatcher(new HttpCallbackSender(_options.Callbacks.RequestTimeout, _time), _options.Callbacks, _time,
            _loggerFactory.CreateLogger<CallbackDispatcher>());
        var accounts = _options.Accounts.Select(a => a.Sid).ToHashSet(StringComparer.Ordinal);
        var applications = new VoiceApplications(_options.Application, _options.Accounts, _options.NumberApplications);
        if (applications.Any)
        {
            _twiml = new TwimlApplicationRunner(_options.Twiml, _options.Connectors, _options.MaxRecorders, _time,
                _loggerFactory.CreateLogger<TwimlApplicationRunner>(), accounts: _options.Accounts);
        }

        var transactionOptions = new SipTransactionOptions { UdpMaxBytes = _options.UdpMaxBytes };
        _router = new CallRouter(trusted, _options.MediaAddress, _options.RtpPorts, transactionOptions, _loggerFactory.CreateLogger<CallRouter>(), OnCallEnded,
            new EndedCallRetention(_options.EndedCallRetention, _time));
        var router = _router;
        Metrics.ObserveRecorderMedia(() => router.ActiveCallSids.Select(router.FindCall).OfType<GatewayCall>()
            .SelectMany(call => call.Controller.StreamReports()).ToList());
        Metrics.ObserveCalls(() => router.LiveCalls.Count,
            () => router.LiveCalls.SelectMany(call => call.Controller.Resources.All).SelectMany(r => r.Recorders).Select(r => r.Status));
        var prompts = new PromptLibrary(_options.PromptDirectory);
        var src = _src;
        var listeners = await BindListenersAsync(_router, transactionOptions, (layer, warnAgent) => new CallEnvironment(
            layer,
            src,
            _time,
            _loggerFactory,
            prompts,
            flow,
            _options.FlowContext,
            warnAgent,
            _options.MaxRecorders,
            TeardownGrace,
            Metrics,
            OnStatusChange,
            invite => AccountFor(invite, accounts)) { Edges = _edges, RecordingRequired = _options.RecordingRequired, OperationTimeout = _options.OperationTimeout, StreamBudget = _options.StreamBudget,
                Applications = _twiml is null ? null : applications, Twiml = _twiml, MediaAnchor = _mediaEngine }).ConfigureAwait(false);
        _listeners = listeners;
        _router.Listeners = listeners; // before the first request can arrive: the router looks up the listener of each INVITE
        foreach (var listener in listeners)
        {
            listener.Layer.Start();
        }
        var clusterRouting = await StartClusterAsync(router).ConfigureAwait(false);
        if (_options.HttpEndPoint is not null)
        {
            var calls = new RestCallDirectory(router.FindCall, router.FindEndedCall, () => router.LiveCalls, () => router.EndedCalls);
            _rest = new RestApi(calls, _options.Accounts, connectors, _options.MaxRecorders, _options.RestForm, _options.RestPublicUrl,
                _loggerFactory.CreateLogger<RestApi>(), _options.OtlpEndpoint) { Cluster = clusterRouting, Health = Health(trusted) };
            await _rest.StartAsync(_options.HttpEndPoint, ct).ConfigureAwait(false);
        }
        foreach (var (edge, at) in _edges.Bound)
        {
            var names = connectors.Connectors.Where(c => c.Value.Edge == edge).Select(c => c.Key);
            Log.EdgeEgress(_logger, edge, at.ToString(), string.Join(", ", names));
        }
        Log.Started(_logger, string.Join(", ", listeners.Select(l => l.Bound)), _src.SipEndPoint.ToString(), _options.FlowPath ?? "(none)");
    }

    /// <summary>Hangs up every call (BYE over its own listener, recorders stopped), then closes every SIP listener and the SRC; a second call waits for the first.</summary>
    public async ValueTask DisposeAsync()
    {
        // Idempotent (IAsyncDisposable): a second call, e.g. from `await using` after an explicit dispose, waits for the first.
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _disposal, first.Task, null) is { } running)
        {
            await running.ConfigureAwait(false);
            return;
        }
        try
        {
            await DisposeOnceAsync().ConfigureAwait(false);
        }
        finally
        {
            first.SetResult();
        }
    }

    private async Task DisposeOnceAsync()
    {
        if (_rest is not null)
        {
            await _rest.DisposeAsync().ConfigureAwait(false);
        }
        if (_router is not null)
        {
            await _router.DisposeAsync().ConfigureAwait(false);
        }
        if (_registry is not null)
        {
            await _registry.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var listener in _listeners ?? [])
        {
            await listener.Layer.DisposeAsync().ConfigureAwait(false);
        }
        if (_src is not null)
        {
            await _src.DisposeAsync().ConfigureAwait(false);
        }
        if (_edges is not null)
        {
            await _edges.DisposeAsync().ConfigureAwait(false);
        }
        if (_mediaEngine is not null)
        {
            await _mediaEngine.DisposeAsync().ConfigureAwait(false);
        }
        if (_callbacks is not null)
        {
            await _callbacks.DisposeAsync().ConfigureAwait(false);
        }
        _twiml?.Dispose();
        Metrics.Dispose();
    }

    // A call belongs to the configured account its INVITE names (the feature server is a trusted peer), else to the default.
    private string? AccountFor(SipRequest invite, HashSet<string> accounts)
    {
        var named = invite.GetHeader(Siprec.Control.InfoRequestMapping.AccountSidHeader)?.Trim();
        return named is not null && accounts.Contains(named) ? named : _options.DefaultAccountSid;
    }

    private void OnStatusChange(RecordingStatusChange change)
    {
        if (CallbackDispatcher.For(change, _time.GetUtcNow()) is { } callback)
        {
            _callbacks?.Enqueue(callback);
        }
    }

    // RFC 3263 location over the configured servers; IP-literal SRS URIs resolve without a query.
    // Null for the embedded engine (the SRC's default); rtpengine's ng client shared by the SRC and every edge's SRC.
    private RtpengineMediaEngine? CreateMediaEngine()
    {
        if (_options.MediaEngine != Configuration.GatewayMediaEngine.Rtpengine)
            return null;
        if (_options.Rtpengines.Count == 0)
            throw new ArgumentException("media engine rtpengine needs at least one rtpengine address (media.rtpengine, --rtpengine)");
        var client = new NgClient(_options.Rtpengines, new NgClientOptions(), _time, _loggerFactory.CreateLogger<NgClient>());
        return new RtpengineMediaEngine(client, _options.MediaAddress, _loggerFactory);
    }

    private SipServerLocator CreateLocator(DnsOptions dns) =>
        new(new DnsClient(dns, _time, _loggerFactory.CreateLogger<DnsClient>()), _loggerFactory.CreateLogger<SipServerLocator>());

    /// <summary>How the SRC finds each SRS (the gateway's <see cref="SipServerLocator"/>); null before start.</summary>
    internal SipServerLocator? SrsLocator { get; private set; }

    private void OnCallEnded(CallSummary summary)
    {
        lock (_sync)
        {
            _completed.Add(summary);
        }
        ClusterCallEnded(summary.CallSid);
        CheckDrained();
        try
        {
            CallEnded?.Invoke(summary);
        }
        catch (Exception ex)
        {
            Log.CallEndedHandlerFailed(_logger, ex, summary.CallSid);
        }
    }
}
