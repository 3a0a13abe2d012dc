using Siprec.Media.Codecs;
using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.ControlPlane;

/// <summary>
/// Checks a recorded channel against what the demo caller talks: <c>samples/audio/caller.wav</c> in a loop, each
/// repetition padded to whole 20 ms frames, through PCMU (G.711 μ-law) and back. A stream decrypted with a wrong key
/// or reordered cannot pass. Silence is allowed where the caller talked: a packet lost on the way (UDP on a busy
/// machine) is a gap (DESIGN §4.5). A packet that merely arrives late is merged into the WAV (up to 5 s back), so it
/// is not a gap; how many packets a loaded host loses is timing, which a test does not assert.
/// </summary>
internal static class CallerLoopCheck
{
    private const int FrameSamples = 160;
    private const int AnchorSamples = 1600;

    /// <summary>
    /// Asserts that every sample from the first to the last non-zero one is the caller loop's sample or a gap's silence,
    /// and that at least <paramref name="minSamples"/> of them are the caller's (heard, not a gap); with
    /// <paramref name="noGaps"/> (the SRS lost and dropped no packet) every talked sample must be heard.
    /// </summary>
    public static void AssertFollowsCallerLoop(short[] channel, int minSamples, string what, bool noGaps = false)
    {
        var loop = CallerLoop();
        var doubled = loop.Concat(loop).ToArray();
        var first = Array.FindIndex(channel, s => s != 0);
        var last = Array.FindLastIndex(channel, s => s != 0);
        Assert.True(first >= 0, $"{what}: the channel is silent");
        var anchor = Math.Min(AnchorSamples, last - first + 1);
        var phase = 0;
        while (phase < loop.Length && !Follows(channel.AsSpan(first, anchor), doubled.AsSpan(phase, anchor))) phase++;
        Assert.True(phase < loop.Length, $"{what}: the audio at sample {first} is not the caller sample after the G.711 round trip");

        var heard = 0;
        var talked = 0;
        for (var i = first; i <= last; i++)
        {
            var expected = loop[(phase + i - first) % loop.Length];
            if (channel[i] != expected && channel[i] != 0)
                Assert.Fail($"{what}: sample {i} is {channel[i]}, the caller loop has {expected}");
            talked += expected != 0 ? 1 : 0;
            heard += expected != 0 && channel[i] == expected ? 1 : 0;
        }
        Assert.True(heard >= minSamples, $"{what}: only {heard} of {talked} talked samples heard (the rest are gaps), wanted at least {minSamples}");
        if (noGaps) Assert.True(heard == talked, $"{what}: {talked - heard} of {talked} talked samples are silent although no packet was lost or dropped");
    }

    // The recorded samples are the expected ones or a gap's silence, and the first one is heard.
    private static bool Follows(ReadOnlySpan<short> recorded, ReadOnlySpan<short> expected)
    {
        if (recorded[0] != expected[0]) return false;
        for (var i = 1; i < recorded.Length; i++)
        {
            if (recorded[i] != 0 && recorded[i] != expected[i]) return false;
        }
        return true;
    }

    private static short[] CallerLoop()
    {
        var pcm = WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav")).Samples;
        var frames = (pcm.Length + FrameSamples - 1) / FrameSamples;
        var ulaw = new byte[frames * FrameSamples];
        G711.EncodeMuLaw(pcm.Concat(new short[ulaw.Length - pcm.Length]).ToArray(), ulaw);
        var decoded = new short[ulaw.Length];
        G711.DecodeMuLaw(ulaw, decoded);
        return decoded;
    }
}
