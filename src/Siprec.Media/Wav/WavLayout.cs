namespace Siprec.Media.Wav;

/// <summary>What a WAV header says about its samples (<see cref="WavFile.ReadLayout"/>): 16-bit linear PCM, interleaved.</summary>
/// <param name="SampleRate">Frames per second (Hz).</param>
/// <param name="Channels">Interleaved channels per frame.</param>
/// <param name="DeclaredDataBytes">
/// The data chunk's size as its header declares it, in bytes; a file still being written or cut off holds fewer (read until
/// the end of the stream and keep whole frames).
/// </param>
public sealed record WavLayout(int SampleRate, int Channels, uint DeclaredDataBytes)
{
    /// <summary>Bytes per frame: 2 per channel.</summary>
    public int FrameBytes => 2 * Channels;
}
