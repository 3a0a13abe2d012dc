using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.Media.Tests.Wav;

/// <summary>
/// The SRS writes each session's WAV once per flush (1 s), not per packet (issue 14): the file must hold exactly what the
/// packets carried, and nothing received may be lost when the session stops between two flushes.
/// </summary>
public sealed class MultiTrackWavRecorderBatchingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1000)] // the SRS's flush interval
    [InlineData(20)]   // a flush after every packet: the same file
    [InlineData(0)]    // no flush at all until the stop
    public void ThirtySecondsOfTwoStreams_FlushedEveryInterval_GiveExactlyTheExpectedSamples_AndTheStopWritesTheTail(int flushEveryMs)
    {
        var time = new ManualTimeProvider();
        string path = _dir.File($"batched-{flushEveryMs}.wav");
        const int Packets = 1500; // 30 s at 20 ms
        var expected = new short[Packets * 160 * 2];
        using (var recorder = new MultiTrackWavRecorder(path, 2, time))
        {
            for (int p = 0; p < Packets; p++)
            {
                for (int channel = 0; channel < 2; channel++)
                {
                    var samples = new short[160];
                    for (int i = 0; i < 160; i++)
                    {
                        samples[i] = (short)((p * 7) + (i * 13) + (channel * 1000) - 20_000);
                        expected[((p * 160) + i) * 2 + channel] = samples[i];
                    }
                    recorder.Write(channel, 1234u + (uint)(p * 160), samples);
                }
                time.Advance(TimeSpan.FromMilliseconds(20));
                if (flushEveryMs > 0 && (p + 1) * 20 % flushEveryMs == 0) recorder.Flush();
            }
        }

        var wav = WavFile.Read(path);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(expected.Length, wav.Samples.Length);
        Assert.Equal(expected, wav.Samples);
    }
}
