namespace Siprec.Recorder.Sessions;

/// <summary>
/// Places one packet's decoded samples on a WAV channel at its RTP timestamp and says where they went.
/// </summary>
/// <param name="channel">Zero-based WAV channel.</param>
/// <param name="timestamp">The packet's RTP timestamp (samples).</param>
/// <param name="samples">Decoded 16-bit PCM.</param>
/// <param name="mergedLate">True when the packet came after its frames were on disk and was merged into them.</param>
/// <returns>The WAV frame of the packet's first sample; -1 when nothing was placed (duplicate, too late, closed).</returns>
internal delegate long WriteAudio(int channel, uint timestamp, ReadOnlySpan<short> samples, out bool mergedLate);
