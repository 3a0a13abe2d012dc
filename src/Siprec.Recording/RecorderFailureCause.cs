namespace Siprec.Recording;

/// <summary>
/// Why an established recorder ended against the SRC's will: a small, fixed set, fit for a metric tag or an alert rule.
/// Which SIP answer (if any) ended it is in <see cref="RecorderFailure.StatusCode"/>, the words in <see cref="RecorderFailure.Detail"/>.
/// </summary>
public enum RecorderFailureCause
{
    /// <summary>The SRS sent BYE (RFC 3261 §15.1.2).</summary>
    SrsBye,

    /// <summary>
    /// An in-dialog OPTIONS keep-alive (RFC 3261 §11) got no answer within <see cref="SrcOptions.PingTimeout"/>, a 408 or
    /// a 481, or could not be sent at all (the SRS is unreachable).
    /// </summary>
    PingFailed,

    /// <summary>The SRS was the RFC 4028 refresher and sent no refresh in time (RFC 4028 §10).</summary>
    SessionExpired,

    /// <summary>The SRC's session-refresh re-INVITE (RFC 4028 §10) got an answer, or none, that ends the dialog (RFC 5057 §5.1, §5.2).</summary>
    RefreshFailed,

    /// <summary>A pause, resume or metadata re-INVITE or UPDATE got an answer, or none, that ends the dialog (RFC 5057 §5.1, §5.2).</summary>
    RequestFailed,

    /// <summary>
    /// ICMP port unreachable kept coming back for the recorder's RTP or RTCP port for <see cref="SrcOptions.MediaUnreachableAfter"/>:
    /// its media socket is closed (RFC 1122 §3.2.2.1).
    /// </summary>
    MediaUnreachable,

    /// <summary>The recorder sent RTCP and then fell silent for <see cref="SrcOptions.RtcpSilenceTimeout"/> (RFC 3550 §6.3.5).</summary>
    RtcpSilence,

    /// <summary>The media engine carrying this recorder's media is gone (an rtpengine that stopped answering ng commands and pings).</summary>
    MediaEngineFailed,
}
