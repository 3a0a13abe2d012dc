using System.Globalization;
using System.Xml.Linq;
using Siprec.Media.Wav;
using Siprec.Observability.Console;

namespace Siprec.Observability.Tests.Console;

public sealed class WaveformSvgTests
{
    private static readonly RecordingChannel Channel = new(0, "1", "sip:caller@example.com", 500, 3, [(2.5, 3)], [7.25]);

    [Fact]
    public void APause_IsShadedFromItsStartToItsEnd_InViewBoxUnits_AndLabelledWithItsLength()
    {
        var svg = Parse(Render(seconds: 10, pauses: [(4.0, 6.5)]));

        var shade = Assert.Single(svg.Descendants("rect"), r => (string?)r.Attribute("class") == "paused");
        Assert.Equal(400, Number(shade, "x"));
        Assert.Equal(250, Number(shade, "width"));
        Assert.Equal("4", (string?)shade.Attribute("data-start"));
        Assert.Equal("6.5", (string?)shade.Attribute("data-end"));
        Assert.Equal("paused 2.5 s", svg.Descendants("text").Single().Value);
    }

    [Fact]
    public void AnOpenPause_RunsToTheEnd_AndAPauseBeyondTheAudio_IsClampedToTheDrawing()
    {
        var svg = Parse(Render(seconds: 10, pauses: [(8.0, null), (9.0, 25.0)]));

        var shades = svg.Descendants("rect").Where(r => (string?)r.Attribute("class") == "paused").ToList();
        Assert.Equal([(800.0, 200.0), (900.0, 100.0)], shades.Select(s => (Number(s, "x"), Number(s, "width"))));
    }

    [Fact]
    public void LossAndLateMerges_AreMarkedAtTheirSeconds()
    {
        var svg = Parse(Render(seconds: 10, pauses: []));

        var lost = Assert.Single(svg.Descendants("line"), l => (string?)l.Attribute("class") == "lost");
        Assert.Equal(250, Number(lost, "x1"));
        Assert.Equal("3", (string?)lost.Attribute("data-packets"));
        var late = Assert.Single(svg.Descendants("line"), l => (string?)l.Attribute("class") == "late");
        Assert.Equal(725, Number(late, "x1"));
    }

    [Fact]
    public void TheWave_IsFlatWhereTheAudioIsSilent_AndFullWhereItIsLoud()
    {
        // First half silence, second half a full-scale square wave.
        var samples = new short[8000];
        for (var i = 4000; i < samples.Length; i++) samples[i] = i % 2 == 0 ? short.MaxValue : short.MinValue;
        var svg = Parse(WaveformSvg.Render(Envelope(samples), Channel with { LossMarks = [], LateMergedSeconds = [] }, []));

        var strokes = ((string)svg.Descendants("path").Single().Attribute("d")!).Split('M', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(' ', 'V').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(WaveformSvg.Width, strokes.Count);
        Assert.All(strokes.Take(499), s => Assert.True(s[2] - s[1] <= 0.5, $"column {s[0]} not flat"));
        Assert.All(strokes.Skip(501), s => Assert.True(s[2] - s[1] >= WaveformSvg.Height - 1, $"column {s[0]} not full"));
    }

    private static string Render(double seconds, IReadOnlyList<(double, double?)> pauses) =>
        WaveformSvg.Render(Envelope(new short[(int)(seconds * 8000)]), Channel, pauses);

    // The samples as a mono 8 kHz WAV, read back the way the console reads recordings.
    private static WaveformEnvelope Envelope(short[] samples)
    {
        var folder = Directory.CreateTempSubdirectory("siprec-waveform-").FullName;
        try
        {
            var path = Path.Combine(folder, "w.wav");
            using (var writer = WavWriter.Create(path, 8000, 1)) writer.WriteFrames(samples);
            return WaveformEnvelope.Read(path, WaveformSvg.Width);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static XElement Parse(string svg) => XElement.Parse(svg);

    private static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
