using Newtonsoft.Json.Linq;
using Siprec.Media.Codecs;
using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Cli;

/// <summary>
/// Runs the real <c>siprec demo</c> program and checks what the recorders wrote: one WAV + JSON per live SRS;
/// the caller channel equals the caller sample after the G.711 round trip, sample for sample, outside the
/// paused span; the paused span is silence; the bot channel carries the welcome prompt and not the
/// card-number prompt played while paused.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private const int SampleRate = 8000;
    private const int Frame = 160;
    private const int EdgeFrames = 3;
    private const int PauseEdge = SampleRate * 2 / 5; // 0.4 s, in samples
    private readonly string _out = Directory.CreateTempSubdirectory("siprec-e2e-demo-").FullName;

    [Fact]
    public async Task Demo_ExitsZero_AndEachLiveSrsHoldsAFaithfulRecording()
    {
        using var demo = PeerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "siprec.dll"), "demo", "--out", _out]);
        Assert.True(await demo.WaitForExitAsync(TimeSpan.FromSeconds(120)), "siprec demo did not finish within 120 s");
        Assert.True(demo.ExitCode == 0, $"siprec demo exit {demo.ExitCode}\n{demo.StandardOutput}\n{demo.StandardError}");

        // The demo caller repeats its utterance for the whole call, each repetition padded to whole 20 ms frames.
        var callerLoop = RoundTrip(PadToFrames(WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav")).Samples));
        var welcome = RoundTrip(WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "prompt-welcome.wav")).Samples);
        var cardNumber = RoundTrip(WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "prompt-card-number.wav")).Samples);

        foreach (var srs in new[] { "srs1", "srs2" })
        {
            var folder = Path.Combine(_out, srs);
            var wav = Assert.Single(Directory.GetFiles(folder, "*.wav"));
            var json = JObject.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(folder, "*.json"))));
            Assert.True((bool?)json["complete"], $"{srs}: sidecar says the recording is not complete");

            var audio = WavFile.Read(wav);
            Assert.Equal(SampleRate, audio.SampleRate);
            Assert.Equal(2, audio.Channels);
            var pause = Assert.Single((JArray)json["pauses"]!);
            var pauseStart = (int)((double)pause["startSeconds"]! * SampleRate);
            var pauseEnd = (int)((double)pause["endSeconds"]! * SampleRate);
            Assert.True(pauseEnd - pauseStart > SampleRate, $"{srs}: paused span too short to hold the card-number prompt");

            var caller = audio.GetChannel(0);
            var bot = audio.GetChannel(1);
            // The SRS times the pause by wall clock but places audio by RTP timestamp from the first packet's arrival, so
            // the two disagree by however late that first packet was (over 60 ms on a loaded CI machine): the silence
            // check keeps 0.4 s off each edge, a skew no machine here has shown, and media flowing during the pause
            // would still fill the middle (the card-number prompt check below is the content-level proof).
            AssertSilent(caller, pauseStart + PauseEdge, pauseEnd - PauseEdge, $"{srs} caller channel during the pause");
            AssertSilent(bot, pauseStart + PauseEdge, pauseEnd - PauseEdge, $"{srs} bot channel during the pause");
            AssertLoopedSignalMatches(caller, callerLoop, pauseStart, pauseEnd, $"{srs} caller channel");
            AssertContains(bot, welcome, $"{srs} bot channel (welcome prompt)");
            Assert.False(Contains(bot, cardNumber), $"{srs}: the card-number prompt played while paused is in the recording");
        }
    }

    private static short[] RoundTrip(short[] pcm)
    {
        var ulaw = new byte[pcm.Length];
        G711.EncodeMuLaw(pcm, ulaw);
        var decoded = new short[pcm.Length];
        G711.DecodeMuLaw(ulaw, decoded);
        return decoded;
    }

    private static short[] PadToFrames(short[] pcm)
    {
        var padded = new short[(pcm.Length + Frame - 1) / Frame * Frame];
        pcm.CopyTo(padded, 0);
        return padded;
    }

    private static void AssertSilent(short[] channel, int from, int to, string what)
    {
        for (var i = from; i < Math.Min(to, channel.Length); i++)
            Assert.True(channel[i] == 0, $"{what}: sample {i} ({i / (double)SampleRate:F3} s) is {channel[i]}, expected silence");
    }

    // The demo caller talks its utterance in a loop; the recorded channel must be that loop, exactly, wherever
    // media flowed. The silence around the paused span is left out: media stops before the pause re-INVITE reaches
    // the SRS and resumes only after the SRC has the answer to the resume re-INVITE, so the silent run reaches past
    // the span's wall-clock edges by however long that round trip took on this machine (timing, not asserted).
    private static void AssertLoopedSignalMatches(short[] channel, short[] loop, int pauseStart, int pauseEnd, string what)
    {
        var first = Array.FindIndex(channel, s => s != 0);
        Assert.True(first >= 0, $"{what}: no audio at all");
        var offset = FindLoopOffset(channel, first, loop);
        Assert.True(offset >= 0, $"{what}: the audio starting at {first / (double)SampleRate:F3} s is not the caller sample");
        var last = Array.FindLastIndex(channel, s => s != 0);
        var silentFrom = Math.Clamp(pauseStart - EdgeFrames * Frame, 0, channel.Length);
        while (silentFrom > 0 && channel[silentFrom - 1] == 0) silentFrom--;
        var silentTo = Math.Clamp(pauseEnd + EdgeFrames * Frame, 0, channel.Length);
        while (silentTo < channel.Length && channel[silentTo] == 0) silentTo++;
        var compared = 0;
        var comparedAfterResume = 0;
        for (var i = first; i <= last; i++)
        {
            if (i >= silentFrom && i < silentTo) continue;
            if (i >= silentTo) comparedAfterResume++;
            var expected = loop[(offset + i - first) % loop.Length];
            if (channel[i] != expected)
                Assert.Fail($"{what}: sample {i} ({i / (double)SampleRate:F3} s) is {channel[i]}, the caller sample has {expected}");
            compared++;
        }
        Assert.True(compared > 4 * SampleRate, $"{what}: only {compared} samples compared");
        Assert.True(comparedAfterResume > SampleRate,
            $"{what}: only {comparedAfterResume} samples of caller audio after the pause (silence from {silentFrom / (double)SampleRate:F3} s to {silentTo / (double)SampleRate:F3} s)");
    }

    private static int FindLoopOffset(short[] channel, int first, short[] loop)
    {
        var window = Math.Min(2 * Frame * 10, channel.Length - first);
        for (var k = 0; k < loop.Length; k++)
        {
            var match = true;
            for (var t = 0; t < window && match; t++) match = channel[first + t] == loop[(k + t) % loop.Length];
            if (match) return k;
        }
        return -1;
    }

    private static void AssertContains(short[] channel, short[] prompt, string what)
    {
        Assert.True(Contains(channel, prompt), $"{what}: the prompt's samples are not in the channel");
    }

    // The prompt's speech (from its first to its last non-zero sample) appears contiguously in the channel.
    private static bool Contains(short[] channel, short[] prompt)
    {
        var p0 = Array.FindIndex(prompt, s => s != 0);
        var p1 = Array.FindLastIndex(prompt, s => s != 0);
        var speech = prompt.AsSpan(p0, p1 - p0 + 1);
        return channel.AsSpan().IndexOf(speech) >= 0;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_out, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
