namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>
/// Finds a known signal in received audio without knowing where it starts: the longest run of consecutive samples
/// that equal consecutive samples of the reference at one alignment. Decoded G.711 is bit exact, so a long run is
/// proof the reference arrived unaltered; a jitter buffer that drops or inserts a frame, or a lost packet, only ends a
/// run (the next one starts at another alignment).
/// </summary>
internal static class ExactRun
{
    private const int KeySamples = 16;
    private const int SpeechLevel = 256;

    /// <summary>
    /// The length in samples of the longest run of <paramref name="received"/> equal to a run of
    /// <paramref name="reference"/>, among runs that start with 16 samples holding speech (a sample of magnitude 256 or
    /// more), so two silences do not count as a match.
    /// </summary>
    public static int Longest(short[] received, short[] reference)
    {
        var index = new Dictionary<int, List<int>>();
        for (var p = 0; p + KeySamples <= reference.Length; p++)
        {
            if (!HasSpeech(reference, p)) continue;
            var key = Key(reference, p);
            if (!index.TryGetValue(key, out var positions)) index[key] = positions = [];
            positions.Add(p);
        }

        var best = 0;
        var i = 0;
        while (i + KeySamples <= received.Length)
        {
            var here = 0;
            if (HasSpeech(received, i) && index.TryGetValue(Key(received, i), out var candidates))
            {
                foreach (var p in candidates)
                {
                    var length = 0;
                    while (i + length < received.Length && p + length < reference.Length && received[i + length] == reference[p + length]) length++;
                    here = Math.Max(here, length);
                }
            }
            best = Math.Max(best, here);
            i += Math.Max(1, here - KeySamples);
        }
        return best;
    }

    private static bool HasSpeech(short[] samples, int start)
    {
        for (var k = start; k < start + KeySamples; k++)
            if (Math.Abs((int)samples[k]) >= SpeechLevel) return true;
        return false;
    }

    private static int Key(short[] samples, int start)
    {
        var hash = new HashCode();
        for (var k = start; k < start + KeySamples; k++) hash.Add(samples[k]);
        return hash.ToHashCode();
    }
}
