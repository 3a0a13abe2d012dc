namespace Siprec.Media.Wav;

/// <summary>Decoded 16-bit PCM audio: interleaved samples, one frame = one sample per channel.</summary>
/// <param name="SampleRate">Frames per second (Hz).</param>
/// <param name="Channels">Channels per frame, at least 1.</param>
/// <param name="Samples">Interleaved samples; length is a multiple of <paramref name="Channels"/>.</param>
public sealed record WavAudio(int SampleRate, int Channels, short[] Samples)
{
    /// <summary>Number of frames (samples per channel).</summary>
    public long Frames => Channels == 0 ? 0 : Samples.Length / Channels;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => SampleRate == 0 ? 0 : (double)Frames / SampleRate;

    /// <summary>Copies out one channel's samples.</summary>
    /// <param name="channel">Zero-based channel index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not below <see cref="Channels"/>.</exception>
    public short[] GetChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        var result = new short[Frames];
        for (int i = 0; i < result.Length; i++) result[i] = Samples[i * Channels + channel];
        return result;
    }
}
