using System.Buffers;
using System.Buffers.Binary;

namespace Siprec.Media.Wav;

/// <summary>
/// Writes a canonical 44-byte-header RIFF/WAVE file of 16-bit linear PCM. The RIFF and data chunk sizes
/// are rewritten on every <see cref="Flush"/>, so the file is a valid, playable WAV at all times. After a write that
/// failed part-way (a full disk), <see cref="Flush"/> and <see cref="Dispose"/> cut the file back to the frames counted,
/// so the header always matches the data. Not thread-safe.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const int HeaderSize = 44;
    private const long MaxDataBytes = uint.MaxValue - (HeaderSize - 8);

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _channels;
    private readonly long _dataStart;
    private long _dataBytes;
    private bool _disposed;

    /// <summary>Starts a WAV image at the current position of <paramref name="stream"/>; disposing closes it.</summary>
    /// <param name="stream">A writable, seekable stream.</param>
    /// <param name="sampleRate">Frames per second (Hz).</param>
    /// <param name="channels">Channels per frame, 1..64.</param>
    /// <exception cref="ArgumentException">The stream cannot write or seek, or a format value is out of range.</exception>
    public WavWriter(Stream stream, int sampleRate, int channels)
        : this(stream, sampleRate, channels, leaveOpen: false)
    {
    }

    /// <summary>Starts a WAV image at the current position of <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable, seekable stream.</param>
    /// <param name="sampleRate">Frames per second (Hz).</param>
    /// <param name="channels">Channels per frame, 1..64.</param>
    /// <param name="leaveOpen">True to keep the stream open after <see cref="Dispose"/>.</param>
    /// <exception cref="ArgumentException">The stream cannot write or seek, or a format value is out of range.</exception>
    public WavWriter(Stream stream, int sampleRate, int channels, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite || !stream.CanSeek)
            throw new ArgumentException("a WAV writer needs a writable, seekable stream to rewrite its header", nameof(stream));
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 64);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _channels = channels;
        SampleRate = sampleRate;
        _dataStart = stream.Position + HeaderSize;

        Span<byte> header = stackalloc byte[HeaderSize];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], HeaderSize - 8);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], 0);
        _stream.Write(header);
        _stream.Flush();
    }

    /// <summary>Frames per second (Hz).</summary>
    public int SampleRate { get; }

    /// <summary>Channels per frame.</summary>
    public int Channels => _channels;

    /// <summary>Frames (one sample per channel) written so far.</summary>
    public long FramesWritten => _dataBytes / (2 * _channels);

    /// <summary>
    /// Creates (or truncates) a file readable by others while it is written. Writes go to the operating system unbuffered,
    /// so what a write reports done survives the process being killed, and a failed write leaves nothing pending.
    /// </summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static WavWriter Create(string path, int sampleRate, int channels)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0);
        try
        {
            return new WavWriter(stream, sampleRate, channels);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends interleaved frames; the header is updated on the next <see cref="Flush"/>.</summary>
    /// <exception cref="ArgumentException">The sample count is not a multiple of the channel count.</exception>
    /// <exception cref="InvalidOperationException">The 4 GiB RIFF limit would be exceeded.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void WriteFrames(ReadOnlySpan<short> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (interleaved.Length % _channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples are not whole frames of {_channels} channels", nameof(interleaved));
        long bytes = interleaved.Length * 2L;
        if (_dataBytes + bytes > MaxDataBytes)
            throw new InvalidOperationException("a RIFF WAV file cannot exceed 4 GiB");

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(bytes, 64 * 1024));
        try
        {
            int perChunk = buffer.Length / 2;
            while (!interleaved.IsEmpty)
            {
                int n = Math.Min(perChunk, interleaved.Length);
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(i * 2), interleaved[i]);
                _stream.Write(buffer, 0, n * 2);
                interleaved = interleaved[n..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _dataBytes += bytes;
    }

    /// <summary>
    /// Reads back <paramref name="interleaved"/>.Length / <see cref="Channels"/> frames already written, from frame
    /// <paramref name="firstFrame"/>, so a late packet can be merged into them (see <see cref="Overwrite"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not wholly written frames.</exception>
    /// <exception cref="InvalidOperationException">The stream cannot read.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void ReadWritten(long firstFrame, Span<short> interleaved)
    {
        var bytes = CheckWritten(firstFrame, interleaved.Length);
        if (!_stream.CanRead) throw new InvalidOperationException("the WAV stream cannot be read back");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            _stream.Position = _dataStart + (firstFrame * _channels * 2);
            _stream.ReadExactly(buffer, 0, bytes);
            for (int i = 0; i < interleaved.Length; i++) interleaved[i] = BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(i * 2));
        }
        finally
        {
            _stream.Position = _dataStart + _dataBytes;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Replaces frames already written, from frame <paramref name="firstFrame"/>; the data size does not change.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not wholly written frames.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Overwrite(long firstFrame, ReadOnlySpan<short> interleaved)
    {
        var bytes = CheckWritten(firstFrame, interleaved.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            for (int i = 0; i < interleaved.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(i * 2), interleaved[i]);
            _stream.Position = _dataStart + (firstFrame * _channels * 2);
            _stream.Write(buffer, 0, bytes);
        }
        finally
        {
            _stream.Position = _dataStart + _dataBytes;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int CheckWritten(long firstFrame, int samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (samples % _channels != 0)
            throw new ArgumentException($"{samples} samples are not whole frames of {_channels} channels", nameof(samples));
        long frames = samples / _channels;
        if (firstFrame < 0 || firstFrame + frames > FramesWritten)
            throw new ArgumentOutOfRangeException(nameof(firstFrame), $"frames {firstFrame}..{firstFrame + frames} are not all written (0..{FramesWritten})");
        return samples * 2;
    }

    /// <summary>
    /// Cuts off any bytes of a write that failed part-way, rewrites the RIFF and data sizes and flushes to the operating
    /// system.
    /// </summary>
    /// <exception cref="IOException">The header cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long end = _dataStart + _dataBytes;
        if (_stream.Length > end) _stream.SetLength(end);
        Span<byte> size = stackalloc byte[4];
        _stream.Position = _dataStart - HeaderSize + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(_dataBytes + HeaderSize - 8));
        _stream.Write(size);
        _stream.Position = _dataStart - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)_dataBytes);
        _stream.Write(size);
        _stream.Position = end;
        _stream.Flush();
    }

    /// <summary>
    /// Makes the header of a WAV file this class wrote, left with stale sizes by a process that was killed, match the
    /// frames on disk: a partial last frame is cut off and the RIFF and data sizes are rewritten.
    /// </summary>
    /// <param name="path">A file with the canonical 44-byte header (RIFF, fmt of 16 bytes, data).</param>
    /// <returns>Whole frames in the data chunk, and the sample rate (Hz) of the fmt chunk.</returns>
    /// <exception cref="InvalidDataException">The file does not start with the canonical header.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public static (long Frames, int SampleRate) RepairHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (stream.Length < HeaderSize || stream.Read(header) < HeaderSize
            || !header[..4].SequenceEqual("RIFF"u8) || !header[8..16].SequenceEqual("WAVEfmt "u8)
            || BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) != 16 || !header[36..40].SequenceEqual("data"u8))
            throw new InvalidDataException($"{path} does not start with a canonical 44-byte WAV header");
        int sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
        if (blockAlign < 1) throw new InvalidDataException($"{path} has a block align of 0");
        long dataBytes = Math.Min((stream.Length - HeaderSize) / blockAlign * blockAlign, MaxDataBytes / blockAlign * blockAlign);
        if (stream.Length > HeaderSize + dataBytes) stream.SetLength(HeaderSize + dataBytes);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(dataBytes + HeaderSize - 8));
        stream.Position = 4;
        stream.Write(size);
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)dataBytes);
        stream.Position = 40;
        stream.Write(size);
        return (dataBytes / blockAlign, sampleRate);
    }

    /// <summary>Flushes the final header and closes the stream (unless left open).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        try
        {
            Flush();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen) _stream.Dispose();
        }
    }
}
