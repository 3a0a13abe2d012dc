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
/// <c>recordings</c>, at most 64 concurrent sessions, a WAV flush every second, an SRS-initiated BYE bounded by
/// 2 seconds, the stream transports' default limits (64 KiB per message).
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

    /// <summary>Folder that receives <c>&lt;session&gt;.wav</c> and <c>&lt;session&gt;.json</c>; created when missing.</summary>
    public string OutputDirectory { get; init; } = "recordings";

    /// <summary>Sessions recorded at once; a further INVITE is answered 503 (protects ports and disk).</summary>
    public int MaxConcurrentSessions { get; init; } = 64;

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

    internal void Validate()
    {
        ValidateListeners();
        if (MediaAddress is null) throw new ArgumentException("MediaAddress is required", nameof(MediaAddress));
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("OutputDirectory is required", nameof(OutputDirectory));
        if (MaxConcurrentSessions < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentSessions), MaxConcurrentSessions, "at least 1");
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "must be > 0 and at most 1 second");
        if (ByeTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ByeTimeout), ByeTimeout, "must not be negative");
        if (string.IsNullOrWhiteSpace(UserName)) throw new ArgumentException("UserName is required", nameof(UserName));
    }

    private void ValidateListeners() =>
        SipListeners.Validate(SipEndPoint, AdditionalListenEndPoints, TlsCertificate, StreamTransport, "for recording sessions");
}
