using System.Buffers.Binary;

namespace Siprec.Media.Wav;

/// <summary>
/// Reads RIFF/WAVE files holding 16-bit linear PCM (format tag 1, or WAVE_FORMAT_EXTENSIBLE with the PCM
/// sub-format). Unknown chunks are skipped. A data chunk that is shorter than its header says (a file
/// still being written or cut off) yields the whole frames present.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads a WAV file; the file may be open for writing elsewhere.</summary>
    /// <exception cref="InvalidDataException">Not RIFF/WAVE, no fmt or data chunk, or not 16-bit PCM.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WavAudio Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Read(stream);
    }

    /// <summary>Reads a WAV image from the current position of <paramref name="s"/>; does not close it.</summary>
    /// <exception cref="InvalidDataException">Not RIFF/WAVE, no fmt or data chunk, or not 16-bit PCM.</exception>
    public static WavAudio Read(Stream s)
    {
        var layout = ReadLayout(s);
        return new WavAudio(layout.SampleRate, layout.Channels, ReadSamples(s, layout.DeclaredDataBytes, layout.Channels));
    }

    /// <summary>
    /// Reads the header of a WAV image from the current position of <paramref name="s"/> up to the start of its samples,
    /// and leaves the stream there, so a caller can stream the samples (16-bit little-endian, channels interleaved) instead
    /// of loading them: an hour of stereo at 16 kHz is 230 MB as one array. Does not close the stream.
    /// </summary>
    /// <exception cref="InvalidDataException">Not RIFF/WAVE, no fmt or data chunk, or not 16-bit PCM.</exception>
    public static WavLayout ReadLayout(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Span<byte> header = stackalloc byte[12];
        if (ReadFully(s, header) < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a WAV file: the RIFF/WAVE header is missing");

        int sampleRate = 0, channels = 0;
        bool haveFormat = false;
        Span<byte> chunkHeader = stackalloc byte[8];
        while (true)
        {
            if (ReadFully(s, chunkHeader) < 8)
                throw new InvalidDataException(haveFormat ? "WAV file has no data chunk" : "WAV file has no fmt chunk");
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            var id = chunkHeader[..4];
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > 1024) throw new InvalidDataException($"WAV fmt chunk has an invalid size of {size} bytes");
                var fmt = new byte[size];
                if (ReadFully(s, fmt) < fmt.Length) throw new InvalidDataException("WAV fmt chunk is truncated");
                (sampleRate, channels) = ParseFormat(fmt);
                haveFormat = true;
                Skip(s, size & 1);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat) throw new InvalidDataException("WAV data chunk comes before the fmt chunk");
                return new WavLayout(sampleRate, channels, size);
            }
            else
            {
                Skip(s, size + (size & 1));
            }
        }
    }

    private static (int SampleRate, int Channels) ParseFormat(ReadOnlySpan<byte> fmt)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible && fmt.Length >= 26)
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        if (tag != FormatPcm)
            throw new InvalidDataException($"WAV format tag 0x{tag:X4} is not supported; only 16-bit linear PCM (tag 1) is");
        if (bits != 16)
            throw new InvalidDataException($"WAV has {bits} bits per sample; only 16-bit PCM is supported");
        if (channels == 0)
            throw new InvalidDataException("WAV declares zero channels");
        if (sampleRate == 0 || sampleRate > 384_000)
            throw new InvalidDataException($"WAV sample rate {sampleRate} Hz is out of range");
        return ((int)sampleRate, channels);
    }

    private static short[] ReadSamples(Stream s, uint declaredBytes, int channels)
    {
        int frameBytes = 2 * channels;
        long wanted = declaredBytes;
        if (s.CanSeek) wanted = Math.Min(wanted, Math.Max(0, s.Length - s.Position));
        if (wanted > Array.MaxLength) throw new InvalidDataException($"WAV data chunk of {wanted} bytes is too large to load");

        var bytes = new byte[wanted];
        int read = ReadFully(s, bytes);
        int frames = read / frameBytes;
        var samples = new short[frames * channels];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2, 2));
        return samples;
    }

    // Reads until the buffer is full or the stream ends (a file still being written may be shorter than its header says).
    private static int ReadFully(Stream s, Span<byte> buffer) => s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    private static void Skip(Stream s, long count)
    {
        if (count == 0) return;
        if (s.CanSeek)
        {
            if (s.Position + count > s.Length) throw new InvalidDataException("WAV chunk runs past the end of the file");
            s.Seek(count, SeekOrigin.Current);
            return;
        }
        Span<byte> scratch = stackalloc byte[4096];
        while (count > 0)
        {
            int n = s.Read(scratch[..(int)Math.Min(count, scratch.Length)]);
            if (n == 0) throw new InvalidDataException("WAV chunk runs past the end of the file");
            count -= n;
        }
    }
}
