namespace Siprec.Recorder;

/// <summary>
/// What the SRS wrote for one finished recording session (DESIGN §4.5): the WAV, its JSON sidecar and the
/// figures an operator checks first.
/// </summary>
/// <param name="SessionId">The SRS's own session name; the WAV and JSON files are named after it.</param>
/// <param name="WavPath">Full path of the 8 kHz 16-bit PCM WAV, one channel per recorded stream in label order.</param>
/// <param name="JsonPath">Full path of the JSON sidecar.</param>
/// <param name="DurationSeconds">Length of the WAV in seconds.</param>
/// <param name="Streams">Recorded streams in channel order.</param>
/// <param name="PausedSpans">Pause intervals (RFC 7866 §8.1.3 inactive re-INVITEs), in order.</param>
/// <param name="RecordingId">Recording ID from the SRC's metadata extension, when present.</param>
/// <param name="Complete">True when the SRC ended the session with BYE; false when the SRS finalized it on shutdown.</param>
public sealed record RecordedSessionSummary(
    string SessionId,
    string WavPath,
    string JsonPath,
    double DurationSeconds,
    IReadOnlyList<RecordedStreamSummary> Streams,
    IReadOnlyList<PausedSpan> PausedSpans,
    string? RecordingId,
    bool Complete)
{
    /// <summary>
    /// Why the SRS ended the session when <see cref="Complete"/> is false (e.g. <c>no RTP for 30 s</c>, <c>storage full</c>,
    /// <c>recording server shutting down</c>), as the sidecar's <c>reason</c>; null when the SRC ended it.
    /// </summary>
    public string? Reason { get; init; }
}
