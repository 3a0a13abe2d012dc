using Siprec.Media.Wav;

namespace Siprec.Media.Tests.Wav;

public sealed class WavWriterTests
{
    [Fact]
    public void AFileBeingWritten_ReadsBackAfterEachFlush_AndCompletelyAfterDispose()
    {
        using var dir = new TempDirectory();
        string path = dir.File("growing.wav");
        short[] first = [1, -1, 2, -2, 3, -3];
        short[] second = [short.MaxValue, short.MinValue];

        using (var writer = WavWriter.Create(path, 8000, 2))
        {
            var empty = WavFile.Read(path);
            Assert.Empty(empty.Samples);

            writer.WriteFrames(first);
            writer.Flush();
            var mid = WavFile.Read(path);
            Assert.Equal(first, mid.Samples);
            Assert.Equal(2, mid.Channels);
            Assert.Equal(3, writer.FramesWritten);

            writer.WriteFrames(second);
        }

        var done = WavFile.Read(path);
        Assert.Equal(first.Concat(second), done.Samples);
        Assert.Equal(8000, done.SampleRate);
        Assert.Equal(44 + 16, new FileInfo(path).Length);
    }

    [Fact]
    public void WrittenFrames_CanBeReadBackAndOverwritten_WithoutChangingTheLengthOrWhereTheNextFramesGo()
    {
        using var stream = new MemoryStream();
        using var writer = new WavWriter(stream, 8000, 2, leaveOpen: true);
        writer.WriteFrames([1, 2, 3, 4, 5, 6]);

        var middle = new short[2];
        writer.ReadWritten(1, middle);
        Assert.Equal([3, 4], middle);
        writer.Overwrite(1, [30, 40]);
        writer.WriteFrames([7, 8]);
        writer.Flush();

        stream.Position = 0;
        var audio = WavFile.Read(stream);
        Assert.Equal([1, 2, 30, 40, 5, 6, 7, 8], audio.Samples);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Overwrite(3, [0, 0, 0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.ReadWritten(-1, new short[2]));
        Assert.Throws<ArgumentException>(() => writer.Overwrite(0, [1]));
    }

    [Fact]
    public void WriteFrames_RejectsSamplesThatAreNotWholeFrames()
    {
        using var writer = new WavWriter(new MemoryStream(), 8000, 2);
        Assert.Throws<ArgumentException>(() => writer.WriteFrames(new short[3]));
    }

    [Fact]
    public void Constructor_RejectsAStreamThatCannotSeek()
    {
        using var pipe = new NonSeekableStream();
        Assert.Throws<ArgumentException>(() => new WavWriter(pipe, 8000, 1));
    }

    [Fact]
    public void ALargeWrite_IsSplitInternally_AndReadsBackExactly()
    {
        var ms = new MemoryStream();
        var samples = Enumerable.Range(0, 100_000).Select(i => (short)(i * 7)).ToArray();
        using (var writer = new WavWriter(ms, 8000, 1, leaveOpen: true))
        {
            writer.WriteFrames(samples);
        }
        ms.Position = 0;
        Assert.Equal(samples, WavFile.Read(ms).Samples);
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
