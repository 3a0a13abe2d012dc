using Siprec.Media.Codecs;
using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>The caller sample as sipp streams it: raw µ-law (G.711) bytes of <c>samples/audio/caller.wav</c>.</summary>
internal static class CallerAudio
{
    /// <summary>Writes the caller sample, µ-law encoded, to <paramref name="path"/> (sipp's <c>rtp_stream</c> file).</summary>
    public static void WriteUlaw(string path)
    {
        var audio = WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav"));
        var ulaw = new byte[audio.Samples.Length];
        G711.EncodeMuLaw(audio.Samples, ulaw);
        File.WriteAllBytes(path, ulaw);
    }
}
