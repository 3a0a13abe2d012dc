namespace Siprec.Recorder.Sessions;

/// <summary>
/// The spans a recording session was paused (RFC 7866 §8.1.3), as the sidecar and the summary report them, each end
/// placed where the WAV's audio resumes. Not thread-safe: the session calls it under its lock.
/// </summary>
internal sealed class RecordingPauses
{
    private readonly List<PausedSpan> _pauses = [];
    private readonly HashSet<int> _unplacedSinceResume = [];
    private readonly IReadOnlyList<int> _channels;
    private readonly Func<double> _wavSecondsNow;

    /// <param name="channels">The session's WAV channels, each of which places its first packet after a resume.</param>
    /// <param name="wavSecondsNow">Where audio arriving now is placed in the WAV, in seconds from its start.</param>
    public RecordingPauses(IReadOnlyList<int> channels, Func<double> wavSecondsNow)
    {
        _channels = channels;
        _wavSecondsNow = wavSecondsNow;
    }

    /// <summary>A copy of the spans so far, in order; the last one may still be open.</summary>
    public IReadOnlyList<PausedSpan> ToList() => _pauses.ToList();

    /// <summary>Opens a span at <paramref name="at"/>, <paramref name="seconds"/> into the WAV.</summary>
    public void Open(DateTimeOffset at, double seconds) => _pauses.Add(new PausedSpan(at, null, seconds, null));

    /// <summary>Closes the open span at <paramref name="now"/>; each channel's first packet after it may pull its end earlier.</summary>
    public void Close(DateTimeOffset now)
    {
        var index = _pauses.FindLastIndex(p => p.End is null);
        if (index >= 0) _pauses[index] = _pauses[index] with { End = now, EndSeconds = _wavSecondsNow() };
        _unplacedSinceResume.Clear();
        foreach (var channel in _channels) _unplacedSinceResume.Add(channel);
    }

    /// <summary>A packet of <paramref name="channel"/> was written at <paramref name="frame"/> (negative: not written).</summary>
    public void Placed(int channel, long frame)
    {
        if (frame >= 0 && _unplacedSinceResume.Remove(channel)) PullPauseEndTo(frame);
    }

    // The end noted at the resume assumed each sender kept its timestamp pace through the pause; one that fell further behind
    // places its first packet earlier. The span then ends where that packet landed, so the WAV holds no audio inside it.
    private void PullPauseEndTo(long frame)
    {
        var index = _pauses.Count - 1;
        if (index < 0 || _pauses[index].EndSeconds is not { } end) return;
        var seconds = (double)frame / RecorderSession.SampleRate;
        if (seconds < end) _pauses[index] = _pauses[index] with { EndSeconds = Math.Max(seconds, _pauses[index].StartSeconds) };
    }
}
