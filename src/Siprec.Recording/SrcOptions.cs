using System.Net;
using Siprec.Sip.Transport;

namespace Siprec.Recording;

/// <summary>Settings of the SIPREC client (SRC, RFC 7866 §6), validated when the client starts.</summary>
/// <remarks>
/// Defaults: SIP on UDP 127.0.0.1 any port, media on 127.0.0.1, a 2 s no-answer timeout (DESIGN §4.2),
/// at most 4 recorders per call, SRC user <c>siprec-src</c>, session timers of 1800 s, a Retry-After of at most 4 s
/// honoured in a recording dialog, an in-dialog OPTIONS ping every 10 s answered within 4 s.
/// </remarks>
public sealed record SrcOptions
{
    /// <summary>The UDP address the SRC's SIP endpoint binds to; port 0 picks a free port.</summary>
    public IPEndPoint SipEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The address the forwarded RTP is sent from and advertised in the SDP <c>c=</c> line.</summary>
    public IPAddress MediaAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// The UDP ports the forwarders' RTP/RTCP sockets bind (an even RTP port, RTCP on the next); null (the default) for
    /// the system's ephemeral range. When every pair is in use a start fails with <see cref="Siprec.Media.Rtp.RtpPortsExhaustedException"/>.
    /// </summary>
    public Siprec.Media.Rtp.RtpPortRange? RtpPorts { get; init; }

    /// <summary>How long a start waits for the first SRS to accept before giving up (DESIGN §4.2).</summary>
    public TimeSpan NoAnswerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The most SRS URIs one recording may name.</summary>
    public int MaxRecorders { get; init; } = 4;

    /// <summary>The user part of the SRC's From and Contact URIs.</summary>
    public string SrcUser { get; init; } = "siprec-src";

    /// <summary>
    /// RFC 4028 session interval offered in <c>Session-Expires</c> (SRC as refresher); zero disables session timers.
    /// When the SRS's 2xx names the SRC as refresher, a re-INVITE refreshes the dialog at half the agreed interval.
    /// </summary>
    public TimeSpan SessionExpires { get; init; } = TimeSpan.FromSeconds(1800);

    /// <summary>
    /// The longest Retry-After the SRC waits out when the SRS answers a re-INVITE or UPDATE (pause, resume, metadata,
    /// session refresh) with a 5xx or 6xx that RFC 5057 §5.1 lets it retry: the request is sent once more after that
    /// many seconds; a longer Retry-After is reported as the operation's failure and the recording dialog stays.
    /// From 0 to 32 s (64*T1); default 4 s, so a pause or resume waits at most that long plus two transactions.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = Dialogs.InDialogFailure.DefaultMaxRetryAfter;

    /// <summary>
    /// How often every established recording dialog sends an in-dialog OPTIONS (RFC 3261 §11) to prove its SRS alive, as
    /// Oracle SBC and Cisco CUBE ping their recorders; zero turns pings off. The next ping is armed when the previous one
    /// has its answer, so pings never overlap. No answer within <see cref="PingTimeout"/>, a 408, a 481 or a transport
    /// error ends that recorder (408, no answer and unreachable with BYE; 481 without, RFC 5057 §5.1/§5.2) and reports it
    /// failed; any other answer, 2xx or not (405, 501, …), shows the SRS alive. A connector's <c>PingIntervalSecs</c>
    /// overrides it. Default 10 s; zero or from 1 s to 1 h.
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a ping waits for its answer before the recorder counts as dead, so a dead SRS is found within
    /// <see cref="PingInterval"/> + this. The OPTIONS transaction's own timeout (Timer F, 64*T1 = 32 s, RFC 3261
    /// §17.1.2.2) bounds it as well, so a longer value cannot be given. Default 4 s; more than 0, at most 32 s.
    /// </summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The longest <see cref="PingInterval"/> accepted: 1 h.</summary>
    public static readonly TimeSpan MaxPingInterval = TimeSpan.FromHours(1);

    /// <summary>TLS settings for <c>sips:</c>/<c>transport=tls</c> recorders (trusted roots; certificate checks are always on).</summary>
    public TlsOptions Tls { get; init; } = new();

    /// <summary>
    /// RFC 3261 §18.1.1: a recording INVITE (or re-INVITE) larger than this many bytes goes over TCP to the SRS's
    /// address rather than UDP, unless the SRS URI names <c>;transport=udp</c>; UDP is used when TCP cannot connect.
    /// Default 1300 (path MTU unknown); 0 turns the rule off; at most 65507.
    /// </summary>
    public int UdpMaxBytes { get; init; } = 1300;

    /// <summary>
    /// How long ICMP port-unreachable errors for an established recorder's RTP or RTCP port must keep coming before the
    /// recorder is ended as gone (its media socket is closed: a crashed SRS is found in seconds, before any ping). Default
    /// 2 s; zero turns the rule off; at most 60 s. See <see cref="RecorderFailureCause.MediaUnreachable"/>.
    /// </summary>
    public TimeSpan MediaUnreachableAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// RFC 3550 §6.3.5: a recorder that sent RTCP and then nothing for this long is ended as gone. Default 25 s (5 reporting
    /// intervals of 5 s); zero turns the rule off; otherwise 10 s to 1 h. Recorders that never send RTCP are not judged.
    /// </summary>
    public TimeSpan RtcpSilenceTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(SipEndPoint);
        ArgumentNullException.ThrowIfNull(MediaAddress);
        ArgumentNullException.ThrowIfNull(Tls);
        if (NoAnswerTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"NoAnswerTimeout must be positive, was {NoAnswerTimeout}.", nameof(NoAnswerTimeout));
        if (SessionExpires != TimeSpan.Zero && SessionExpires < TimeSpan.FromSeconds(90))
            throw new ArgumentException($"SessionExpires must be 0 (off) or at least 90 s (RFC 4028 Min-SE), was {SessionExpires}.", nameof(SessionExpires));
        if (UdpMaxBytes is < 0 or > 65_507)
            throw new ArgumentException($"UdpMaxBytes must be 0 (off) to 65507, was {UdpMaxBytes}.", nameof(UdpMaxBytes));
        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > Dialogs.InDialogFailure.MaxRetryAfterLimit)
            throw new ArgumentException($"MaxRetryAfter must be from 0 to {Dialogs.InDialogFailure.MaxRetryAfterLimit.TotalSeconds:0} s, was {MaxRetryAfter}.", nameof(MaxRetryAfter));
        if (PingInterval != TimeSpan.Zero && (PingInterval < TimeSpan.FromSeconds(1) || PingInterval > MaxPingInterval))
            throw new ArgumentException($"PingInterval must be 0 (off) or from 1 s to {MaxPingInterval.TotalSeconds:0} s, was {PingInterval}.", nameof(PingInterval));
        if (PingTimeout <= TimeSpan.Zero || PingTimeout > Dialogs.InDialogFailure.NoFinalAnswerLimit)
            throw new ArgumentException($"PingTimeout must be more than 0 and at most {Dialogs.InDialogFailure.NoFinalAnswerLimit.TotalSeconds:0} s (64*T1), was {PingTimeout}.", nameof(PingTimeout));
        if (MediaUnreachableAfter < TimeSpan.Zero || MediaUnreachableAfter > TimeSpan.FromSeconds(60))
            throw new ArgumentException($"MediaUnreachableAfter must be 0 (off) to 60 s, was {MediaUnreachableAfter}.", nameof(MediaUnreachableAfter));
        if (RtcpSilenceTimeout != TimeSpan.Zero && (RtcpSilenceTimeout < TimeSpan.FromSeconds(10) || RtcpSilenceTimeout > TimeSpan.FromHours(1)))
            throw new ArgumentException($"RtcpSilenceTimeout must be 0 (off) or 10 s to 1 h, was {RtcpSilenceTimeout}.", nameof(RtcpSilenceTimeout));
        if (MaxRecorders < 1)
            throw new ArgumentException($"MaxRecorders must be at least 1, was {MaxRecorders}.", nameof(MaxRecorders));
        if (string.IsNullOrWhiteSpace(SrcUser) || SrcUser.Any(c => char.IsWhiteSpace(c) || c is '@' or ':' or '<' or '>' or ';'))
            throw new ArgumentException($"SrcUser must be a plain SIP user name, was '{SrcUser}'.", nameof(SrcUser));
    }
}
