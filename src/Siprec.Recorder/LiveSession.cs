namespace Siprec.Recorder;

/// <summary>A session being recorded now, as an operator's console shows it.</summary>
/// <param name="SessionId">The SRS's session name (the WAV and sidecar are named after it).</param>
/// <param name="Source">The SRC's address (IP:port of its INVITE).</param>
/// <param name="RecordingId">Recording ID from the SRC's metadata; null when none.</param>
/// <param name="CallSid">CallSid from the SRC's metadata; null when none.</param>
/// <param name="Streams">Recorded streams (WAV channels).</param>
/// <param name="Packets">RTP packets received on all streams.</param>
/// <param name="Lost">Packets missing from the streams' sequence numbers.</param>
/// <param name="Paused">True while the SRC has the recording paused (RFC 7866 §8.1.3).</param>
/// <param name="DurationSeconds">WAV length so far, seconds.</param>
/// <param name="StartedAt">When the INVITE was accepted (UTC).</param>
public sealed record LiveSession(string SessionId, string Source, string? RecordingId, string? CallSid, int Streams, long Packets, long Lost,
    bool Paused, double DurationSeconds, DateTimeOffset StartedAt);
