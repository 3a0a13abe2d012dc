using System.Buffers.Binary;
using System.Text;
using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.Media.Tests.Wav;

public sealed class WavFileTests
{
    private static byte[] Wav(ushort format, ushort channels, uint rate, ushort bits, byte[] data, bool listChunkFirst = false)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.ASCII);
        w.Write("RIFF"u8);
        w.Write(0u);
        w.Write("WAVE"u8);
        if (listChunkFirst)
        {
            w.Write("LIST"u8);
            w.Write(5u);
            w.Write("INFOx"u8);
            w.Write((byte)0);
        }
        w.Write("fmt "u8);
        w.Write(16u);
        w.Write(format);
        w.Write(channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((ushort)(channels * bits / 8));
        w.Write(bits);
        w.Write("data"u8);
        w.Write((uint)data.Length);
        w.Write(data);
        w.Flush();
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)bytes.Length - 8);
        return bytes;
    }

    [Fact]
    public void Read_SkipsUnknownChunks_AndDecodesInterleavedSamples()
    {
        byte[] data = [1, 0, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F];
        var audio = WavFile.Read(new MemoryStream(Wav(1, 2, 16000, 16, data, listChunkFirst: true)));

        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(2, audio.Channels);
        Assert.Equal(new short[] { 1, -1, short.MinValue, short.MaxValue }, audio.Samples);
        Assert.Equal(new short[] { 1, short.MinValue }, audio.GetChannel(0));
        Assert.Equal(new short[] { -1, short.MaxValue }, audio.GetChannel(1));
        Assert.Equal(2.0 / 16000, audio.DurationSeconds, 9);
    }

    [Fact]
    public void ReadLayout_StopsAtTheFirstSample_AfterSkippingUnknownChunks()
    {
        byte[] data = [1, 0, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F];
        using var stream = new MemoryStream(Wav(1, 2, 16000, 16, data, listChunkFirst: true));

        var layout = WavFile.ReadLayout(stream);

        Assert.Equal(new WavLayout(16000, 2, 8), layout);
        Assert.Equal(4, layout.FrameBytes);
        Assert.Equal(data, new BinaryReader(stream).ReadBytes(8));
    }

    [Fact]
    public void Read_TheSampleCallerRecording_GivesEightKilohertzMonoOfAboutFiveSeconds()
    {
        var audio = WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav"));
        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.InRange(audio.DurationSeconds, 5.2, 5.3);
        Assert.Contains(audio.Samples, s => Math.Abs((int)s) > 1000);
    }

    [Fact]
    public void Read_RejectsAFileThatIsNotRiffWave()
    {
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream("ID3 this is an mp3 file"u8.ToArray())));
        Assert.Contains("RIFF/WAVE", ex.Message);
    }

    [Fact]
    public void Read_RejectsEightBitPcm_SayingWhy()
    {
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream(Wav(1, 1, 8000, 8, [1, 2]))));
        Assert.Contains("16-bit", ex.Message);
    }

    [Fact]
    public void Read_RejectsCompressedFormats_SayingWhich()
    {
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream(Wav(7, 1, 8000, 16, [1, 2]))));
        Assert.Contains("0x0007", ex.Message);
    }

    [Fact]
    public void Read_RejectsAFileWithoutADataChunk()
    {
        var bytes = Wav(1, 1, 8000, 16, []);
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream(bytes[..^8])));
        Assert.Contains("no data chunk", ex.Message);
    }

    [Fact]
    public void Read_OfATruncatedDataChunk_ReturnsTheWholeFramesPresent()
    {
        var bytes = Wav(1, 1, 8000, 16, [1, 0, 2, 0, 3, 0]);
        var audio = WavFile.Read(new MemoryStream(bytes[..^1]));
        Assert.Equal(new short[] { 1, 2 }, audio.Samples);
    }
}
