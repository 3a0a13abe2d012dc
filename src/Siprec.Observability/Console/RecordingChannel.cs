namespace Siprec.Observability.Console;

/// <summary>One WAV channel of a finished recording as its sidecar describes it.</summary>
/// <param name="Channel">Zero-based WAV channel.</param>
/// <param name="Label">The stream's SDP label (RFC 4574).</param>
/// <param name="Participant">The sending participant's AOR from the metadata; null when unknown.</param>
/// <param name="Packets">RTP packets received.</param>
/// <param name="Lost">Packets missing from the sequence numbers.</param>
/// <param name="LossMarks">Where gaps start (seconds from the WAV start) and how many packets each lost.</param>
/// <param name="LateMergedSeconds">Where packets merged late into the WAV start (seconds).</param>
internal sealed record RecordingChannel(int Channel, string Label, string? Participant, long Packets, long Lost,
    IReadOnlyList<(double Seconds, long Packets)> LossMarks, IReadOnlyList<double> LateMergedSeconds);
