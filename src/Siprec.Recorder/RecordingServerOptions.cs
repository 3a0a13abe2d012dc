using System.Net;
using System.Security.Cryptography.X509Certificates;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>
/// Settings of the embedded SIPREC recording server (the SRS of RFC 7866). Validated by
/// <see cref="RecordingServer.StartAsync"/>.
/// </summary>
/// <remarks>
/// Defaults: SIP on UDP 127.0.0.1 with an ephemeral port and no TCP or TLS listener, media on 127.0.0.1, files under
/// <c>recordings</c>, at most 64 concurrent sessions and 32 from one source address (503 with <c>Retry-After: 5</c> beyond),
/// at most 16 m-lines per offer, a 30 s media timeout, a 1800 s session timer required of an SRC that offers none,
/// a WAV flush every second, an SRS-initiated BYE bounded by 2 seconds, the stream transports' default limits
/// (64 KiB per message).
/// </remarks>
public sealed record RecordingServerOptions
{
    /// <summary>
    /// UDP address the SRS listens on for SIP; port 0 picks a free port (see <see cref="RecordingServer.SipEndPoint"/>).
    /// Null: no UDP listener (e.g. a TLS-only SRS); <see cref="AdditionalListenEndPoints"/> must then name one.
    /// </summary>
    public IPEndPoint? SipEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// Further SIP listeners, any transport: TCP for SIPREC INVITEs too large for a UDP datagram (RFC 3261 §18.1.1),
    /// TLS for <c>sips:</c> recording (RFC 3261 §26, RFC 7866 §12), or more UDP addresses. Empty by default.
    /// </summary>
    public IReadOnlyList<SipListenEndPoint> AdditionalListenEndPoints { get; init; } = [];

    /// <summary>
    /// The certificate, with its private key, that TLS listeners present (RFC 3261 §26.3.1); required when a TLS
    /// listener is configured. The server does not dispose it.
    /// </summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>Message size limit and connection timers of the TCP and TLS listeners.</summary>
    public StreamTransportOptions StreamTransport { get; init; } = new();

    /// <summary>Address the RTP sockets bind to; it is also the address put in the SDP answer's <c>c=</c> line.</summary>
    public IPAddress MediaAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// The UDP ports the sessions' RTP/RTCP sockets bind (<c>--rtp-ports LO-HI</c>: an even RTP port and the odd RTCP port
    /// after it, two ports per recorded stream); null (the default) for the system's ephemeral range. When the range is
    /// full a new INVITE is answered 503 with <see cref="RetryAfter"/> and a Warning naming the range, and logged.
    /// </summary>
    public Siprec.Media.Rtp.RtpPortRange? RtpPorts { get; init; }

    /// <summary>Folder that receives <c>&lt;session&gt;.wav</c> and <c>&lt;session&gt;.json</c>; created when missing.</summary>
    public string OutputDirectory { get; init; } = "recordings";

    /// <summary>
    /// Sessions recorded at once, from all sources; a further INVITE is answered 503 with <see cref="RetryAfter"/> (protects
    /// ports and disk). Default 64.
    /// </summary>
    public int MaxConcurrentSessions { get; init; } = 64;

    /// <summary>
    /// Sessions recorded at once from one source IP address (any port and transport); a further INVITE from it is answered
    /// 503 with <see cref="RetryAfter"/>, so a flood of sessions from one address cannot lock out another SRC. Null (the
    /// default): half of <see cref="MaxConcurrentSessions"/>, at least 1. An SBC that records all its calls from one
    /// address needs this raised to its own peak.
    /// </summary>
    public int? MaxSessionsPerSource { get; init; }

    /// <summary>
    /// The <c>Retry-After</c> (RFC 3261 §20.33, whole seconds) of a 503 for a session limit: when an SRC should try this SRS
    /// again. Default 5 s; 1 s to 1 hour.
    /// </summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// m-lines accepted in one SIPREC offer; more are answered 488 with a Warning (RFC 3261 §20.43) naming the limit.
    /// Each recorded m-line costs an RTP/RTCP socket pair and a WAV channel. Default 16; 1 to 64 (the WAV channel limit).
    /// </summary>
    public int MaxStreamsPerSession { get; init; } = 16;

    /// <summary>
    /// How long a session that is not paused may receive no RTP on any of its streams before the SRS ends it with BYE
    /// (<c>Reason: SIP ;cause=408</c>): an SRC that vanished without BYE. Measured from the start, the last packet or the
    /// end of a pause, checked every <see cref="FlushInterval"/>. Default 30 s; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan MediaTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The session interval (RFC 4028 §4) the SRS requires when the SRC's INVITE offers no <c>Session-Expires</c>: an SRC
    /// that supports timers is told to refresh (<c>refresher=uac</c>); with one that does not, the SRS refreshes itself
    /// (<c>refresher=uas</c>, RFC 4028 §9). A session not refreshed in time is ended with BYE. Default 1800 s; at least
    /// 90 s (the Min-SE floor of RFC 4028 §5); <see cref="TimeSpan.Zero"/> requires none.
    /// </summary>
    public TimeSpan SessionExpires { get; init; } = TimeSpan.FromSeconds(1800);

    /// <summary>How often a recording WAV is flushed to disk while recording (seconds granularity is enough; at most 1 s keeps loss small on a crash).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the SRS waits for an SRC to answer a BYE the SRS sends (on shutdown or session-timer expiry).</summary>
    public TimeSpan ByeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>User part of the SRS Contact URI.</summary>
    public string UserName { get; init; } = "srs";

    /// <summary>RFC 3261 timer values of the SRS's transaction layer.</summary>
    public SipTransactionOptions Transactions { get; init; } = new();

    /// <summary>Every listener in start order: <see cref="SipEndPoint"/> (when set) first, then <see cref="AdditionalListenEndPoints"/>.</summary>
    internal IReadOnlyList<SipListenEndPoint> ListenEndPoints => SipListeners.Combine(SipEndPoint, AdditionalListenEndPoints);

    /// <summary><see cref="MaxSessionsPerSource"/>, or its default: half of <see cref="MaxConcurrentSessions"/>, at least 1.</summary>
    internal int EffectiveMaxSessionsPerSource => MaxSessionsPerSource ?? Math.Max(1, MaxConcurrentSessions / 2);

    internal void Validate()
    {
        ValidateListeners();
        if (MediaAddress is null) throw new ArgumentException("MediaAddress is required", nameof(MediaAddress));
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("OutputDirectory is required", nameof(OutputDirectory));
        if (MaxConcurrentSessions < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentSessions), MaxConcurrentSessions, "at least 1");
        if (MaxSessionsPerSource is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSessionsPerSource), MaxSessionsPerSource, "at least 1");
        if (RetryAfter < TimeSpan.FromSeconds(1) || RetryAfter > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(RetryAfter), RetryAfter, "must be 1 second to 1 hour");
        if (MaxStreamsPerSession is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(MaxStreamsPerSession), MaxStreamsPerSession, "must be 1 to 64");
        if (MediaTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MediaTimeout), MediaTimeout, "must not be negative");
        if (SessionExpires != TimeSpan.Zero && (SessionExpires < TimeSpan.FromSeconds(90) || SessionExpires > TimeSpan.FromDays(1)))
            throw new ArgumentOutOfRangeException(nameof(SessionExpires), SessionExpires, "must be 0 (off) or 90 seconds to 1 day");
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "must be > 0 and at most 1 second");
        if (ByeTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ByeTimeout), ByeTimeout, "must not be negative");
        if (string.IsNullOrWhiteSpace(UserName)) throw new ArgumentException("UserName is required", nameof(UserName));
    }

    private void ValidateListeners() =>
        SipListeners.Validate(SipEndPoint, AdditionalListenEndPoints, TlsCertificate, StreamTransport, "for recording sessions");
}
