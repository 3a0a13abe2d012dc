namespace Siprec.Recorder;

/// <summary>One recorded RTP stream (one SDP m-line, RFC 7866 §8.1.1) and its WAV channel.</summary>
/// <param name="Label">The m-line's <c>a=label</c> (RFC 4574), or its 1-based position when the offer had none.</param>
/// <param name="Channel">Zero-based WAV channel.</param>
/// <param name="Packets">RTP packets received on the stream.</param>
/// <param name="Lost">Packets missing from the RTP sequence-number range received (RFC 3550 §6.4.1 style).</param>
public sealed record RecordedStreamSummary(string Label, int Channel, long Packets, long Lost);
