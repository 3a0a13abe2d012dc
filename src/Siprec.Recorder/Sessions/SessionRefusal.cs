namespace Siprec.Recorder.Sessions;

/// <summary>
/// Why the SRS answered an initial SIPREC INVITE with an error instead of recording (RFC 7866 §6.1 from the SRS side): a small,
/// fixed set, fit for a metric tag (<c>siprec_srs_sessions_refused_total{reason}</c>) or an alert rule. The words for the SRC
/// and the log are in the response's Warning header, never in the tag. Requests the transaction layer's checks answer before
/// the SRS sees them (<see cref="Siprec.Sip.Messages.SipValidationPolicy"/>: 400, 415, 416, 420 for an unknown option tag) are
/// not among them.
/// </summary>
internal enum SessionRefusal
{
    /// <summary>503: the SRS is stopping.</summary>
    ShuttingDown,

    /// <summary>503: <see cref="RecordingServerOptions.MaxConcurrentSessions"/> sessions are open.</summary>
    MaxSessions,

    /// <summary>503: the INVITE's source address has <see cref="RecordingServerOptions.MaxSessionsPerSource"/> sessions open.</summary>
    MaxSessionsPerSource,

    /// <summary>503: no RTP/RTCP port pair is free in <see cref="RecordingServerOptions.RtpPorts"/>.</summary>
    RtpPorts,

    /// <summary>420: the INVITE requires an extension the SRS does not support (RFC 3261 §8.2.2.3).</summary>
    UnsupportedExtension,

    /// <summary>422: the offered session interval is below the SRS's Min-SE (RFC 4028 §8.1).</summary>
    SessionIntervalTooSmall,

    /// <summary>488: the body is no readable SIPREC offer (multipart, SDP or recording metadata, RFC 7866 §8).</summary>
    BadOffer,

    /// <summary>488: the offer has more m-lines than <see cref="RecordingServerOptions.MaxStreamsPerSession"/>.</summary>
    TooManyStreams,

    /// <summary>488: no m-line can be recorded (PCMU or PCMA over RTP/AVP needed).</summary>
    NoRecordableStream,

    /// <summary>
    /// 487: the SRC CANCELled the INVITE (RFC 3261 §9.2) before the SRS had answered it: a slow SRS, an SRC that gave up.
    /// Counted when the SRS's handler finds the transaction already answered, before or while it builds the session.
    /// </summary>
    Cancelled,

    /// <summary>500: handling the INVITE failed unexpectedly before it was answered (the log has the exception).</summary>
    Error,
}
