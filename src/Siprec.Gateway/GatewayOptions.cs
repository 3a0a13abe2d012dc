using System.Net;
using System.Security.Cryptography.X509Certificates;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.Configuration;
using Siprec.Recording.Connectors;
using Siprec.Sip.Location;
using Siprec.Sip.Transport;

namespace Siprec.Gateway;

/// <summary>
/// Settings of one <see cref="RecordingGateway"/>: where it answers calls, how it records them (DESIGN §4.2)
/// and which peers may talk to it.
/// </summary>
/// <remarks>
/// Defaults: SIP on udp 127.0.0.1:5060 and no TCP or TLS listener (stream limits per <see cref="StreamTransportOptions"/>), media on 127.0.0.1, no flow, prompts from the current directory,
/// an empty flow context, SRS certificates validated against the system store, at most 4 recorders per call, a 2 s no-answer timeout, only loopback peers
/// trusted, no REST API, no accounts, no connectors, DNS servers from /etc/resolv.conf, callbacks per <see cref="CallbackOptions"/>,
/// ended calls' sessions readable for 1 hour (at most 1,000 calls) per <see cref="EndedCallRetentionOptions"/>, recording not required. Validated by <see cref="RecordingGateway.StartAsync"/>.
/// </remarks>
public sealed record GatewayOptions
{
    /// <summary>
    /// UDP endpoint for calls and recording INFO; port 0 binds any free port. Null: no UDP listener (e.g. a TLS-only
    /// gateway); <see cref="AdditionalListenEndPoints"/> must then name one.
    /// </summary>
    public IPEndPoint? SipEndPoint { get; init; } = new(IPAddress.Loopback, 5060);

    /// <summary>
    /// Further listeners for calls and recording INFO, any transport: TCP for INVITEs too large for a UDP datagram
    /// (RFC 3261 §18.1.1), TLS for <c>sips:</c> calls (RFC 3261 §26), or more UDP addresses. Empty by default. A call's
    /// responses and in-dialog requests (INFO answers, BYE) use the listener, and for TCP/TLS the connection, it came in on.
    /// </summary>
    public IReadOnlyList<SipListenEndPoint> AdditionalListenEndPoints { get; init; } = [];

    /// <summary>
    /// The certificate, with its private key, that TLS listeners present (RFC 3261 §26.3.1); required when a TLS
    /// listener is configured. The gateway does not dispose it.
    /// </summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>
    /// RFC 3261 §18.1.1: the largest request, in bytes, the gateway and its SRC send over UDP; a larger one (the SIPREC
    /// INVITE is about 3 KB) goes over TCP to the same address, and over UDP only when TCP cannot connect or the SRS URI
    /// names <c>;transport=udp</c> (logged as a warning). Default 1300 (path MTU unknown); 0 turns the rule off;
    /// at most 65507. <c>sip.udpMaxBytes</c> in the configuration file.
    /// </summary>
    public int UdpMaxBytes { get; init; } = 1300;

    /// <summary>The default of <see cref="OperationTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a REST call or a recording INFO waits for the recorders (issue 11: nothing blocks on a recorder). A stop,
    /// pause or resume that has no answer from every recorder by then is answered 504 naming the recorders that have not
    /// answered while the operation goes on in the background (media to paused recorders is already stopped: DESIGN §4.3);
    /// a start gets at least the no-answer timeout plus 1 s. Default 5 s; 500 ms to 60 s; <c>limits.operationTimeoutMs</c>.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = DefaultOperationTimeout;

    /// <summary>Message size limit (64 KiB default) and connection timers of the TCP and TLS listeners.</summary>
    public StreamTransportOptions StreamTransport { get; init; } = new();

    /// <summary>
    /// TLS settings of the SRC towards <c>sips:</c> and <c>transport=tls</c> recorders (RFC 3261 §26.3.1, RFC 5922): set
    /// <see cref="TlsOptions.TrustedRoots"/> to a private CA's root(s) to trust them instead of the system store
    /// (<c>srcTls.trustedRoots</c> in the configuration file). Certificate and host-name checks stay on. The gateway does
    /// not dispose the roots.
    /// </summary>
    public TlsOptions SrcTls { get; init; } = new();

    /// <summary>Address the call's RTP sockets and the SRC's forwarders bind to; it is also written into the SDP.</summary>
    public IPAddress MediaAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// The UDP ports every media socket binds: the calls' RTP and the forwarders' RTP/RTCP pairs (<c>media.portRange</c>,
    /// <c>--rtp-ports LO-HI</c>), so a firewall can open exactly these. Null (the default) for the system's ephemeral
    /// range. When the range is full an INVITE is answered 503 with Retry-After and a recording start fails with 503;
    /// both are logged with the range.
    /// </summary>
    public Siprec.Media.Rtp.RtpPortRange? RtpPorts { get; init; }

    /// <summary>
    /// What forks the calls' media to the recorders (<c>media.engine</c>, <c>--media-engine</c>): <see cref="GatewayMediaEngine.Embedded"/>
    /// (default) or <see cref="GatewayMediaEngine.Rtpengine"/>, which needs <see cref="Rtpengines"/>.
    /// </summary>
    public GatewayMediaEngine MediaEngine { get; init; } = GatewayMediaEngine.Embedded;

    /// <summary>
    /// The rtpengine instances for <see cref="GatewayMediaEngine.Rtpengine"/> (<c>media.rtpengine</c>, <c>--rtpengine</c>), new
    /// calls shared by weight, with failover when one stops answering (docs/CONTRACTS.md, rtpengine). Empty by default.
    /// </summary>
    public IReadOnlyList<Siprec.Media.Rtpengine.RtpengineInstance> Rtpengines { get; init; } = [];

    /// <summary>Flow JSON run on every answered call; null runs no flow (the call is driven by INFO only).</summary>
    public string? FlowPath { get; init; }

    /// <summary>
    /// The TwiML/TeXML application every answered call runs (<c>--twiml FILE</c>, or <c>twiml</c> in the configuration
    /// file: a file or a voice URL), instead of <see cref="FlowPath"/>; an account's or a called number's application wins
    /// for its calls. Null: none.
    /// </summary>
    public Twiml.VoiceApplication? Application { get; init; }

    /// <summary>TwiML/TeXML applications by called number (the To URI's user part, e.g. <c>+15550001111</c>); empty by default.</summary>
    public IReadOnlyDictionary<string, Twiml.VoiceApplication> NumberApplications { get; init; } = new Dictionary<string, Twiml.VoiceApplication>();

    /// <summary>Bounds of TwiML/TeXML applications (fetch timeout, audio size, documents per call).</summary>
    public Twiml.TwimlOptions Twiml { get; init; } = new();

    /// <summary>Folder of prompts: the prompt "welcome" is <c>&lt;dir&gt;/prompt-welcome.wav</c> (8 kHz, 16-bit PCM).</summary>
    public string PromptDirectory { get; init; } = ".";

    /// <summary>Initial flow context, deep-cloned for every call (e.g. <c>{"srsList":[…]}</c>).</summary>
    public JObject FlowContext { get; init; } = new();

    /// <summary>Most SRS URIs one start may name (DESIGN §4.2 "too many recorders"); at least 1.</summary>
    public int MaxRecorders { get; init; } = 4;

    /// <summary>
    /// Forked streams the SIPREC sessions of one call may use together (config <c>limits.streamsPerCall</c>, 1–16; default 4 as
    /// Twilio: a both-tracks session uses 2, a single-track one 1). A start beyond it is refused with the stream-budget error.
    /// </summary>
    public int StreamBudget { get; init; } = RecordingControl.RecordingController.DefaultStreamBudget;

    /// <summary>How long a start waits for the first SRS to answer before it reports "No response from SipRec server".</summary>
    public TimeSpan NoAnswerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Recording-required policy, the gateway's default (<c>recordingRequired</c> at the top of the configuration file):
    /// when true, a call whose recording start establishes no recorder (every SRS failed, or none answered within
    /// <see cref="NoAnswerTimeout"/>), or whose last recorder is lost mid-call with no failover, is ended with a BYE carrying
    /// <c>Reason: SIP ;cause=503 ;text="recording required and unavailable"</c> (RFC 3326) instead of going on unrecorded.
    /// Most specific wins: a REST create's <c>RecordingRequired</c> or an INFO's <c>X-Recording-Required</c>, then the
    /// connector's <see cref="Siprec.Recording.Connectors.SrsConnector.RecordingRequired"/>, then this. Default false.
    /// </summary>
    public bool RecordingRequired { get; init; }

    /// <summary>
    /// CIDR ranges (e.g. <c>10.0.0.0/8</c>, <c>::1/128</c>; a bare address means one host) whose requests are served;
    /// every other source is answered 403 and logged.
    /// </summary>
    public IReadOnlyList<string> TrustedPeers { get; init; } = ["127.0.0.1/8", "::1/128"];

    /// <summary>TCP endpoint of the REST API (DESIGN §4.4); null runs no REST API; port 0 binds any free port.</summary>
    public IPEndPoint? HttpEndPoint { get; init; }

    /// <summary>
    /// OTLP collector the gateway's metrics are pushed to (configuration <c>otlp.endpoint</c>: http://HOST:4317 for gRPC, or a
    /// URL ending in <c>/v1/metrics</c> for HTTP/protobuf); null: none. Needs <see cref="HttpEndPoint"/> (the HTTP host exports).
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>
    /// The absolute http(s) URL clients reach the REST API at, e.g. behind a reverse proxy (<c>restPublicUrl</c> in the
    /// configuration file); only its scheme, host and port are used. It is the base of the absolute <c>uri</c> Telnyx
    /// documents for a SIPREC session on the <c>/v2/texml</c> path. Null (the default): each request's own scheme and
    /// <c>Host</c> header, which is what the client used to reach the API.
    /// </summary>
    public Uri? RestPublicUrl { get; init; }

    /// <summary>
    /// Named egresses (<c>edges</c> in the configuration file, e.g. <c>{"dublin": "udp:10.0.0.5:5090"}</c>) that a connector URI's
    /// <c>;edge=NAME</c> refers to, as Twilio's edge locations; the parameter is removed from the Request-URI, and a name
    /// that is not here fails the start naming the connector. Empty by default. Routing a recording INVITE out of the
    /// named address is not implemented yet: the start logs it for each connector with an edge.
    /// </summary>
    public IReadOnlyDictionary<string, SipListenEndPoint> Edges { get; init; } = new Dictionary<string, SipListenEndPoint>(StringComparer.Ordinal);

    /// <summary>REST accounts; a call belongs to the account its INVITE names in <c>X-Account-Sid</c>, else to <see cref="DefaultAccountSid"/>.</summary>
    public IReadOnlyList<GatewayAccount> Accounts { get; init; } = [];

    /// <summary>The account of calls whose INVITE names no configured account; null leaves such calls to no account (REST cannot see them).</summary>
    public string? DefaultAccountSid { get; init; }

    /// <summary>
    /// Named SRS configurations the REST API's <c>ConnectorName</c> refers to (URIs, transport, digest credentials,
    /// session timer, extra INVITE headers); validated at start.
    /// </summary>
    public SrsConnectorOptions Connectors { get; init; } = new();

    /// <summary>
    /// DNS servers for SRS URIs with a host name (RFC 3263 SRV, A, AAAA; <c>dns.servers</c>, <c>--dns HOST:PORT</c>);
    /// default the nameservers of /etc/resolv.conf. IP-literal URIs never query DNS.
    /// </summary>
    public DnsOptions Dns { get; init; } = DnsOptions.FromResolvConf();

    /// <summary>Bounds on the REST API's form bodies (64 KiB, 256 fields, 128-character names); see <see cref="Rest.RestFormLimits"/>.</summary>
    public Rest.RestFormLimits RestForm { get; init; } = new();

    /// <summary>Status callback delivery.</summary>
    public CallbackOptions Callbacks { get; init; } = new();

    /// <summary>
    /// How long and how many ended calls' SIPREC sessions the REST API still answers (final <c>stopped</c> resource)
    /// before they are 404 (<c>retention</c> in the configuration file).
    /// </summary>
    public EndedCallRetentionOptions EndedCallRetention { get; init; } = new();

    /// <summary>Every listener in start order: <see cref="SipEndPoint"/> (when set) first, then <see cref="AdditionalListenEndPoints"/>.</summary>
    internal IReadOnlyList<SipListenEndPoint> ListenEndPoints => SipListeners.Combine(SipEndPoint, AdditionalListenEndPoints);

    /// <summary>Checks the listeners: at least one, none twice, TLS only with a certificate that has its private key.</summary>
    /// <exception cref="ArgumentException">A listener option is missing or inconsistent (named in the message).</exception>
    internal void ValidateListeners() =>
        SipListeners.Validate(SipEndPoint, AdditionalListenEndPoints, TlsCertificate, StreamTransport, "for calls");

    /// <summary>Cluster mode, drain and health (issue 15, <c>docs/SCALING.md</c>): registry, node id, advertised REST URL, TTLs, drain bound.</summary>
    public Cluster.ClusterOptions Cluster { get; init; } = new();
}
