using System.Net;
using Siprec.Sip.Transactions;

namespace Siprec.Recorder;

/// <summary>
/// Settings of the embedded SIPREC recording server (the SRS of RFC 7866). Validated by
/// <see cref="RecordingServer.StartAsync"/>.
/// </summary>
/// <remarks>
/// Defaults: SIP on UDP 127.0.0.1 with an ephemeral port, media on 127.0.0.1, files under <c>recordings</c>,
/// at most 64 concurrent sessions, a WAV flush every second, an SRS-initiated BYE bounded by 2 seconds.
/// </remarks>
public sealed record RecordingServerOptions
{
    /// <summary>UDP address the SRS listens on for SIP; port 0 picks a free port (see <see cref="RecordingServer.SipEndPoint"/>).</summary>
    public IPEndPoint SipEndPoint { get; init; } = new(IPAddress.Loopback, 0);

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

    internal void Validate()
    {
        if (SipEndPoint is null) throw new ArgumentException("SipEndPoint is required", nameof(SipEndPoint));
        if (MediaAddress is null) throw new ArgumentException("MediaAddress is required", nameof(MediaAddress));
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("OutputDirectory is required", nameof(OutputDirectory));
        if (MaxConcurrentSessions < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentSessions), MaxConcurrentSessions, "at least 1");
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "must be > 0 and at most 1 second");
        if (ByeTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ByeTimeout), ByeTimeout, "must not be negative");
        if (string.IsNullOrWhiteSpace(UserName)) throw new ArgumentException("UserName is required", nameof(UserName));
    }
}
