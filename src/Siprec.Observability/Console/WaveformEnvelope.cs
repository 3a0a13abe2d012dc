using System.Buffers.Binary;
using Siprec.Media.Wav;

namespace Siprec.Observability.Console;

/// <summary>
/// A WAV's per-channel minimum and maximum sample in each of a fixed number of columns (the waveform's pixel columns),
/// read by streaming the file in blocks: memory is the block and the columns, whatever the recording's length (loading the
/// samples took 230 MB for an hour of stereo, and failed past 2 GB). Column <c>c</c> of <c>n</c> frames covers frames
/// <c>⌊n·c/columns⌋</c> up to <c>⌊n·(c+1)/columns⌋</c>; a column covering none is empty. Minimum and maximum start at 0,
/// so a drawn stroke always spans the centre line.
/// </summary>
internal sealed class WaveformEnvelope
{
    /// <summary>Bytes read per block.</summary>
    public const int BlockBytes = 64 * 1024;

    private readonly short[][] _min;
    private readonly short[][] _max;
    private readonly bool[] _filled;

    private WaveformEnvelope(int sampleRate, int channels, long frames, int columns)
    {
        SampleRate = sampleRate;
        Frames = frames;
        _min = new short[channels][];
        _max = new short[channels][];
        for (int c = 0; c < channels; c++)
        {
            _min[c] = new short[columns];
            _max[c] = new short[columns];
        }
        _filled = new bool[columns];
    }

    /// <summary>Frames per second of the WAV.</summary>
    public int SampleRate { get; }

    /// <summary>Channels of the WAV.</summary>
    public int Channels => _min.Length;

    /// <summary>Whole frames in the file.</summary>
    public long Frames { get; }

    /// <summary>The columns.</summary>
    public int Columns => _filled.Length;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => (double)Frames / SampleRate;

    /// <summary>False for a column that covers no frame (fewer frames than columns).</summary>
    public bool HasSamples(int column) => _filled[column];

    /// <summary>The smallest and largest sample of <paramref name="channel"/> in <paramref name="column"/>.</summary>
    public (short Min, short Max) At(int channel, int column) => (_min[channel][column], _max[channel][column]);

    /// <summary>Reads the WAV at <paramref name="path"/> (it may be open for writing elsewhere).</summary>
    /// <exception cref="InvalidDataException">Not a 16-bit PCM WAV.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WaveformEnvelope Read(string path, int columns, int blockBytes = BlockBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var layout = WavFile.ReadLayout(stream);
        long available = Math.Max(0, Math.Min(layout.DeclaredDataBytes, stream.Length - stream.Position));
        long frames = available / layout.FrameBytes;
        var envelope = new WaveformEnvelope(layout.SampleRate, layout.Channels, frames, columns);
        envelope.Fill(stream, layout.FrameBytes, Math.Max(layout.FrameBytes, blockBytes / layout.FrameBytes * layout.FrameBytes));
        return envelope;
    }

    private void Fill(Stream stream, int frameBytes, int blockBytes)
    {
        if (Frames == 0) return;
        var block = new byte[blockBytes];
        int columns = Columns;
        int column = 0;
        long end = ColumnEnd(0);
        long frame = 0;
        while (frame < Frames)
        {
            int want = (int)Math.Min(block.Length, (Frames - frame) * frameBytes);
            int got = stream.ReadAtLeast(block.AsSpan(0, want), want, throwOnEndOfStream: false);
            int whole = got / frameBytes;
            if (whole == 0) break; // the file shrank under us: keep what was read
            for (int f = 0; f < whole; f++, frame++)
            {
                while (frame >= end)
                {
                    column++;
                    end = ColumnEnd(column);
                }
                if (column >= columns) return;
                _filled[column] = true;
                var bytes = block.AsSpan(f * frameBytes, frameBytes);
                for (int c = 0; c < _min.Length; c++)
                {
                    short sample = BinaryPrimitives.ReadInt16LittleEndian(bytes[(c * 2)..]);
                    if (sample < _min[c][column]) _min[c][column] = sample;
                    if (sample > _max[c][column]) _max[c][column] = sample;
                }
            }
        }

        long ColumnEnd(int c) => c >= columns ? long.MaxValue : Frames * (c + 1) / columns;
    }
}
