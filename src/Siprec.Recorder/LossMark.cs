namespace Siprec.Recorder;

/// <summary>Where in a WAV channel packets were missing (an RTP sequence gap, RFC 3550 §6.4.1): the silence they left.</summary>
/// <param name="Seconds">Start of the gap, seconds from the WAV start (placed by RTP timestamp, like the audio).</param>
/// <param name="Packets">Packets missing in the gap.</param>
public sealed record LossMark(double Seconds, long Packets);
