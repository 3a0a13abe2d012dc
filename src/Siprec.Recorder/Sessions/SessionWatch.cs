namespace Siprec.Recorder.Sessions;

/// <summary>How a <see cref="RecorderSession"/> watches itself while recording, and whom it tells when it must end.</summary>
/// <param name="FlushInterval">How often the WAV is flushed (header patched) and the media timeout judged; at most 1 s.</param>
/// <param name="MediaTimeout">No RTP on any stream for this long while not paused abandons the session; zero turns it off.</param>
/// <param name="OnAbandoned">
/// Called once, off the session's lock and threads, when the session must end without the SRC (media timeout, storage
/// failure); the server then finalizes it and sends BYE with the end's Reason.
/// </param>
/// <param name="Metrics">The server's instruments; null when the session is not measured.</param>
internal sealed record SessionWatch(TimeSpan FlushInterval, TimeSpan MediaTimeout, Func<RecorderSession, SessionEnd, Task> OnAbandoned,
    Observability.RecorderMetrics? Metrics = null);
