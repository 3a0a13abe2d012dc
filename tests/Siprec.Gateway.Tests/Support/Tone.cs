using Siprec.Media.Wav;

namespace Siprec.Gateway.Tests.Support;

/// <summary>Test audio: a sine tone at 8 kHz, as samples or written as a WAV with <see cref="WavWriter"/>.</summary>
public static class Tone
{
    /// <summary>A 16-bit mono sine tone.</summary>
    public static short[] Samples(double seconds, double frequency = 440, int sampleRate = 8000)
    {
        var samples = new short[(int)(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return samples;
    }

    /// <summary>Writes a tone WAV at <paramref name="path"/>.</summary>
    public static void Write(string path, double seconds, int sampleRate = 8000)
    {
        using var writer = WavWriter.Create(path, sampleRate, 1);
        writer.WriteFrames(Samples(seconds, sampleRate: sampleRate));
        writer.Flush();
    }

    /// <summary>The tone as <see cref="WavAudio"/>.</summary>
    public static WavAudio Audio(double seconds) => new(8000, 1, Samples(seconds));
}
