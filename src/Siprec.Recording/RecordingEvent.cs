namespace Siprec.Recording;

/// <summary>A status change of one recorder (when <see cref="SrsUri"/> is set) or of the whole recording (when it is null).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Timestamp">When, from the session's <see cref="TimeProvider"/>.</param>
/// <param name="SrsUri">The recorder's SRS URI; null for an event about the whole recording.</param>
/// <param name="Reason">Why, readable (e.g. <c>BYE from SRS</c>, <c>486 Busy Here</c>); null when there is nothing to add.</param>
public sealed record RecordingEvent(RecordingEventKind Kind, DateTimeOffset Timestamp, string? SrsUri, string? Reason)
{
    /// <summary>True when the event is about one recorder rather than the whole recording.</summary>
    public bool IsRecorderEvent => SrsUri is not null;

    /// <summary>The Call-ID of the recorded call, so one stream of events from many calls can be told apart.</summary>
    public string? CallId { get; init; }

    /// <summary>
    /// On a <see cref="RecordingEventKind.Failed"/> event: how an established recorder ended against the SRC's will (on the
    /// recording's own Failed event, the failure of the last recorder). Null on every other event, and on a recorder that
    /// failed before it was established (its start answer is in <see cref="Reason"/>).
    /// </summary>
    public RecorderFailure? Failure { get; init; }

    /// <summary>
    /// On a recorder's <see cref="RecordingEventKind.Failed"/> event that carries a <see cref="Failure"/>: a failover to a
    /// standby has begun, so the recording is not failed even if that was its last recorder (it fails only when no standby
    /// accepts). False otherwise.
    /// </summary>
    public bool FailoverPending { get; init; }

    /// <summary>
    /// On <see cref="RecordingEventKind.FailingOver"/>, <see cref="RecordingEventKind.FailedOver"/> and a standby's own
    /// <see cref="RecordingEventKind.Failed"/>: the SRS URI of the failed recorder this standby replaces; null otherwise.
    /// </summary>
    public string? Replaces { get; init; }

    /// <summary>On <see cref="RecordingEventKind.FailedOver"/>: the gap in the recording between the failure and the standby's acceptance; null otherwise.</summary>
    public FailoverGap? Gap { get; init; }
}
