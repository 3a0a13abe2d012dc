using Siprec.Media.Wav;
using Siprec.Observability.Console;

namespace Siprec.Observability.Tests.Console;

/// <summary>
/// The console's waveform columns, read by streaming the WAV in blocks instead of loading it: the same minimum and maximum
/// per column as computing them over the whole sample array, at any length and across block boundaries.
/// </summary>
public sealed class WaveformEnvelopeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("siprec-waveform-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0, 1, 64 * 1024)]
    [InlineData(7, 2, 64 * 1024)]
    [InlineData(999, 2, 6)]
    [InlineData(1000, 1, 10)]
    [InlineData(1001, 2, 4)]
    [InlineData(123_457, 2, 1000)]
    public void EveryColumn_HoldsTheMinimumAndMaximumOfItsFrames_AsOverTheWholeArray(int frames, int channels, int blockBytes)
    {
        var random = new Random(frames);
        var samples = new short[frames * channels];
        for (int i = 0; i < samples.Length; i++) samples[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        var path = Write(samples, channels);

        var envelope = WaveformEnvelope.Read(path, WaveformSvg.Width, blockBytes);

        Assert.Equal((8000, channels, (long)frames), (envelope.SampleRate, envelope.Channels, envelope.Frames));
        for (int channel = 0; channel < channels; channel++)
        {
            var one = Enumerable.Range(0, frames).Select(f => samples[f * channels + channel]).ToArray();
            for (int column = 0; column < WaveformSvg.Width; column++)
            {
                int from = (int)((long)frames * column / WaveformSvg.Width);
                int to = (int)((long)frames * (column + 1) / WaveformSvg.Width);
                Assert.Equal(to > from, envelope.HasSamples(column));
                if (to <= from) continue;
                short min = 0, max = 0;
                foreach (var s in one[from..to])
                {
                    if (s < min) min = s;
                    if (s > max) max = s;
                }
                Assert.Equal((min, max), envelope.At(channel, column));
            }
        }
    }

    [Fact]
    public void AFileShorterThanItsHeaderSays_IsReadToItsLastWholeFrame()
    {
        var path = Write(Enumerable.Range(0, 2000).Select(i => (short)i).ToArray(), 2);
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 3); // a writer cut off mid-frame

        var envelope = WaveformEnvelope.Read(path, WaveformSvg.Width);

        Assert.Equal(999, envelope.Frames);
        Assert.Equal(((short)0, (short)1996), envelope.At(0, WaveformSvg.Width - 1)); // frame 998, channel 0: sample 2 × 998
    }

    private string Write(short[] interleaved, int channels)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.wav");
        using var writer = WavWriter.Create(path, 8000, channels);
        writer.WriteFrames(interleaved);
        return path;
    }
}
