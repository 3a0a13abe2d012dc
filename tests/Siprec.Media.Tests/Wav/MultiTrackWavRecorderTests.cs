using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.Media.Tests.Wav;

public sealed class MultiTrackWavRecorderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private static short[] Constant(short value, int count = 160) => Enumerable.Repeat(value, count).ToArray();

    private static void AssertSpan(short[] channel, int start, int length, short expected)
    {
        for (int i = start; i < start + length; i++)
            Assert.True(channel[i] == expected, $"sample {i} is {channel[i]}, expected {expected}");
    }

    [Fact]
    public void TwoChannels_AreAnchoredByArrival_PlacedByTimestamp_WithGapsAsSilence_AndDuplicatesIgnored_AndLatePacketsMergedIn()
    {
        string path = _dir.File("two.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 2, _time))
        {
            recorder.Write(0, 5000, Constant(1000));
            _time.Advance(TimeSpan.FromMilliseconds(100));
            recorder.Write(1, 90_000, Constant(2000));
            recorder.Write(0, 5160, Constant(1001));
            recorder.Write(0, 5480, Constant(1003));
            recorder.Write(0, 5000, Constant(1000));
            Assert.Equal(1, recorder.DuplicatePackets);

            _time.Advance(TimeSpan.FromSeconds(1));
            recorder.Flush();
            Assert.Equal(8800 - 1600, recorder.FramesWritten);

            var mid = WavFile.Read(path);
            Assert.Equal(2, mid.Channels);
            Assert.Equal(8800 - 1600, mid.Samples.Length / 2);
            var left = mid.GetChannel(0);
            var right = mid.GetChannel(1);
            AssertSpan(left, 0, 160, 1000);
            AssertSpan(left, 160, 160, 1001);
            AssertSpan(left, 320, 160, 0);
            AssertSpan(left, 480, 160, 1003);
            AssertSpan(left, 640, 7200 - 640, 0);
            AssertSpan(right, 0, 800, 0);
            AssertSpan(right, 800, 160, 2000);
            AssertSpan(right, 960, 7200 - 960, 0);

            // Frames 320..480 of channel 0 went to disk as silence; the packet for them arrives now, long after.
            recorder.Write(0, 5320, Constant(1002));
            Assert.Equal(1, recorder.RepairedPackets);
            Assert.Equal(0, recorder.LatePackets);
            var repaired = WavFile.Read(path);
            AssertSpan(repaired.GetChannel(0), 320, 160, 1002);
            AssertSpan(repaired.GetChannel(1), 320, 160, 0);
            Assert.Equal(8800 - 1600, repaired.Samples.Length / 2);
        }

        var done = WavFile.Read(path);
        Assert.Equal(8800, done.Samples.Length / 2);
        AssertSpan(done.GetChannel(0), 160, 160, 1001);
        AssertSpan(done.GetChannel(0), 320, 160, 1002);
        AssertSpan(done.GetChannel(0), 480, 160, 1003);
    }

    [Fact]
    public void AStalledReceiveLoop_DeliveringItsBacklogLate_LosesNoAudio()
    {
        string path = _dir.File("stall.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 1, _time))
        {
            for (int n = 0; n < 10; n++)
            {
                recorder.Write(0, (uint)(n * 160), Constant((short)(n + 1)));
                _time.Advance(TimeSpan.FromMilliseconds(20));
            }
            // The loop stalls for 600 ms while the periodic flush writes what it has (then silence) to disk...
            _time.Advance(TimeSpan.FromMilliseconds(600));
            recorder.Flush();
            Assert.True(recorder.FramesWritten > 10 * 160);
            // ...then hands over the 30 packets that queued meanwhile.
            for (int n = 10; n < 40; n++) recorder.Write(0, (uint)(n * 160), Constant((short)(n + 1)));

            Assert.Equal(0, recorder.LatePackets);
            Assert.True(recorder.RepairedPackets > 0);
        }

        var channel = WavFile.Read(path).GetChannel(0);
        for (int n = 0; n < 40; n++) AssertSpan(channel, n * 160, 160, (short)(n + 1));
    }

    [Fact]
    public void ALatePacketForFramesAlreadyWrittenWithSamples_IsADuplicate_AndChangesNothing()
    {
        string path = _dir.File("duplicate-late.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 1, _time))
        {
            recorder.Write(0, 0, Constant(7));
            _time.Advance(TimeSpan.FromSeconds(1));
            recorder.Flush();

            recorder.Write(0, 0, Constant(9));

            Assert.Equal(1, recorder.DuplicatePackets);
            Assert.Equal(0, recorder.RepairedPackets + recorder.LatePackets);
        }

        AssertSpan(WavFile.Read(path).GetChannel(0), 0, 160, 7);
    }

    [Fact]
    public void PacketsWithinTheJitterWindow_ArePlacedInTimestampOrder_EvenWhenReordered()
    {
        string path = _dir.File("reorder.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 1, _time))
        {
            recorder.Write(0, 100, Constant(1));
            _time.Advance(TimeSpan.FromMilliseconds(40));
            recorder.Write(0, 420, Constant(3));
            recorder.Write(0, 260, Constant(2));
            Assert.Equal(0, recorder.LatePackets);
        }

        var channel = WavFile.Read(path).GetChannel(0);
        AssertSpan(channel, 0, 160, 1);
        AssertSpan(channel, 160, 160, 2);
        AssertSpan(channel, 320, 160, 3);
    }

    [Fact]
    public void Timestamps_ThatWrapPast32Bits_StayContiguous()
    {
        string path = _dir.File("wrap.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 1, _time))
        {
            recorder.Write(0, uint.MaxValue - 159, Constant(7));
            recorder.Write(0, 0, Constant(8));
            recorder.Write(0, 160, Constant(9));
        }

        var channel = WavFile.Read(path).GetChannel(0);
        Assert.Equal(480, channel.Length);
        AssertSpan(channel, 0, 160, 7);
        AssertSpan(channel, 160, 160, 8);
        AssertSpan(channel, 320, 160, 9);
    }

    [Fact]
    public void APauseWithATimestampGap_BecomesSilenceOfTheSameLength()
    {
        string path = _dir.File("pause.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 1, _time))
        {
            recorder.Write(0, 0, Constant(5));
            _time.Advance(TimeSpan.FromSeconds(3));
            recorder.Flush();
            recorder.Write(0, 24_000, Constant(6));
        }

        var channel = WavFile.Read(path).GetChannel(0);
        Assert.Equal(24_160, channel.Length);
        AssertSpan(channel, 0, 160, 5);
        AssertSpan(channel, 160, 24_000 - 160, 0);
        AssertSpan(channel, 24_000, 160, 6);
    }

    [Fact]
    public void ATimestampJumpUnrelatedToArrivalTime_ReanchorsInsteadOfWritingHoursOfSilence()
    {
        string path = _dir.File("jump.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 1, _time))
        {
            recorder.Write(0, 1000, Constant(1));
            _time.Advance(TimeSpan.FromMilliseconds(20));
            recorder.Write(0, 2_000_000_000, Constant(2));
            _time.Advance(TimeSpan.FromMilliseconds(20));
            recorder.Write(0, 2_000_000_160, Constant(3));
        }

        var channel = WavFile.Read(path).GetChannel(0);
        Assert.Equal(480, channel.Length);
        AssertSpan(channel, 0, 160, 1);
        AssertSpan(channel, 160, 160, 2);
        AssertSpan(channel, 320, 160, 3);
    }

    [Fact]
    public async Task ConcurrentWriters_OnSeparateChannels_AllLandInTheFile()
    {
        string path = _dir.File("concurrent.wav");
        using (var recorder = new MultiTrackWavRecorder(path, 4, _time))
        {
            var writers = Enumerable.Range(0, 4).Select(channel => Task.Run(() =>
            {
                for (int i = 0; i < 500; i++) recorder.Write(channel, (uint)(i * 160), Constant((short)(channel + 1)));
            }));
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, recorder.DuplicatePackets + recorder.LatePackets);
        }

        var audio = WavFile.Read(path);
        for (int c = 0; c < 4; c++) AssertSpan(audio.GetChannel(c), 0, 500 * 160, (short)(c + 1));
    }

    [Fact]
    public void Write_ToAChannelOutOfRange_Throws()
    {
        using var recorder = new MultiTrackWavRecorder(_dir.File("range.wav"), 2, _time);
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Write(2, 0, Constant(1)));
    }

    [Fact]
    public void Flush_AfterDispose_DoesNothing_AndTheFileKeepsItsLength()
    {
        string path = _dir.File("late-flush.wav");
        var recorder = new MultiTrackWavRecorder(path, 1, _time);
        recorder.Write(0, 0, Constant(4));
        recorder.Dispose();
        _time.Advance(TimeSpan.FromSeconds(5));

        recorder.Flush();
        recorder.Write(0, 160, Constant(4));

        Assert.Equal(160, WavFile.Read(path).Samples.Length);
        Assert.Equal(160, recorder.FramesWritten);
    }

    [Fact]
    public void PositionNow_FollowsALaggingSendersTimestamps_NotTheWallClock()
    {
        using var recorder = new MultiTrackWavRecorder(_dir.File("lag.wav"), 1, _time);
        // 100 packets sent every 25 ms but stamped 20 ms apart: after 2.5 s of sending the audio covers only 2 s.
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(i * 160, recorder.Write(0, (uint)(i * 160), Constant(1000)));
            _time.Advance(TimeSpan.FromMilliseconds(25));
        }

        // A pause noted now belongs right after the last packet (frame 15840 + 25 ms), not at the wall clock (2.5 s = 20000).
        Assert.Equal(15840 + 200, recorder.PositionNow());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(15840 + 200 + 8000, recorder.PositionNow());
    }

    [Fact]
    public void PositionNow_IsNeverBeforeThePlacedAudio_NorAheadOfTheClockAfterABurst()
    {
        using var recorder = new MultiTrackWavRecorder(_dir.File("burst.wav"), 2, _time);
        Assert.Equal(0, recorder.PositionNow());
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(800, recorder.PositionNow());

        // One second of audio arrives at once: the file's audio ends at 1.1 s, ahead of the clock.
        for (var i = 0; i < 50; i++) recorder.Write(1, (uint)(i * 160), Constant(1000));
        Assert.Equal(800 + 8000, recorder.PositionNow());

        // One idle second later the clock (1.1 s) is where the recording stands, not the last packet plus a second (2.08 s).
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(800 + 8000, recorder.PositionNow());
    }
}
