namespace Siprec.Recorder;

/// <summary>
/// An interval during which the SRC paused the recording (all m-lines inactive or port 0, RFC 7866 §8.1.3).
/// </summary>
/// <param name="Start">UTC time the pause re-INVITE was accepted.</param>
/// <param name="End">UTC time the resume re-INVITE was accepted; null while the pause is open (a session that ends paused closes it at the stop time).</param>
/// <param name="StartSeconds">
/// Start as seconds from the WAV start, where the WAV's audio stops: the position the audio arriving at that moment is placed at
/// (by RTP timestamp), so it agrees with the file even when a sender's timestamps run behind the wall clock.
/// </param>
/// <param name="EndSeconds">
/// End as seconds from the WAV start, where audio resumes: placed the same way at the resume, then pulled back to where a
/// channel's first packet after it landed when that is earlier (a sender that fell further behind during the pause); null
/// while the pause is open.
/// </param>
public sealed record PausedSpan(DateTimeOffset Start, DateTimeOffset? End, double StartSeconds, double? EndSeconds);
