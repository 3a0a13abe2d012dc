using Siprec.Control;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// One SIPREC session of a call as the REST API shows it (DESIGN §4.4): made by every start, whatever its entry point,
/// and updated by pause, resume, stop, call end and failure. Immutable; each change is a new value.
/// </summary>
/// <param name="Sid">"SR" + 32 hex.</param>
/// <param name="AccountSid">The call's account; null when the call has none.</param>
/// <param name="CallSid">The call's SID.</param>
/// <param name="Name">The session's name; null when none was given.</param>
/// <param name="Status"><see cref="RestRecordingStatus"/> value.</param>
/// <param name="Track">Which legs are recorded.</param>
/// <param name="DateCreated">When the start was asked for.</param>
/// <param name="DateUpdated">When the status last changed.</param>
/// <param name="StartTime">When the first SRS accepted; null when none did.</param>
/// <param name="ErrorCode">The §4.2 code of a failed start, or, when every recorder died, the SIP code that ended the last one (503 when it sent none); null when none.</param>
/// <param name="ErrorText">The §4.2 text of that failure; null when none.</param>
/// <param name="Options">Name and callback settings of the start.</param>
internal sealed record RecordingResource(
    string Sid,
    string? AccountSid,
    string CallSid,
    string? Name,
    string Status,
    RecordingTrack Track,
    DateTimeOffset DateCreated,
    DateTimeOffset DateUpdated,
    DateTimeOffset? StartTime,
    int? ErrorCode,
    string? ErrorText,
    RecordingRequestOptions Options)
{
    /// <summary>Every recorder the session's start asked for, in request order; empty before the start has run.</summary>
    public IReadOnlyList<RecorderResource> Recorders { get; init; } = [];
}
