using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;
using Siprec.Media.Wav;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.Observability.Tests.Console;

/// <summary>
/// Issue 17, in a real browser: Playwright for .NET drives Debian's Chromium headless (<c>/usr/bin/chromium</c>, nothing
/// downloaded) against the SRS console after a demo-style recording and during a second call, and against the gateway's
/// console. What is checked is read from the DOM and the SVG coordinates, never from a screenshot; the screenshot the test
/// takes is the README's <c>docs/console.png</c>.
/// </summary>
[Collection(RecordedCallCollection.Name)]
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LiveBound = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task AfterADemoRecording_TheConsoleShowsThePausedSpanAtTheSidecarsTimes_PlaysTheWav_AndFollowsALiveSession()
    {
        var chromium = Peers.Require("chromium");
        await using var loop = await RecordedCallHarness.StartAsync(deadRecorder: true);
        var summary = await loop.RecordOneCallAsync();
        var sidecar = JObject.Parse(await File.ReadAllTextAsync(summary.JsonPath));
        var wavSeconds = WavFile.Read(summary.WavPath).DurationSeconds;
        var pause = (JObject)Assert.Single((JArray)sidecar["pauses"]!);
        var pauseStart = (double)pause["startSeconds"]!;
        var pauseEnd = (double)pause["endSeconds"]!;
        var caller = ((JArray)sidecar["streams"]!).OfType<JObject>().Single(s => ((string?)s["participantAor"])?.Contains("caller@", StringComparison.Ordinal) == true);
        var channel = (int)caller["channel"]!;
        output.WriteLine($"wav {wavSeconds:0.000} s, pause {pauseStart}–{pauseEnd} s, caller channel {channel}");
        var wav = WavFile.Read(summary.WavPath);
        var callerSamples = wav.GetChannel(channel);
        var (silentFrom, silentTo) = SilenceAround(callerSamples, (int)((pauseStart + pauseEnd) / 2 * wav.SampleRate));
        output.WriteLine($"caller channel silent {silentFrom / (double)wav.SampleRate:0.000}–{silentTo / (double)wav.SampleRate:0.000} s");
        // The shading is only worth having if the WAV agrees. The caller talks throughout, so its silence covers the pause: no
        // audio inside the shaded span (50 ms: a packet and positioning), and the silence may only run past its edges by how
        // long the SRC takes to stop forwarding before its pause re-INVITE lands and to start again after the resume's 200 OK.
        Assert.InRange(silentFrom / (double)wav.SampleRate, pauseStart - 1, pauseStart + 0.05);
        Assert.InRange(silentTo / (double)wav.SampleRate, pauseEnd - 0.05, pauseEnd + 1);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespace for the sandbox; playback must not wait for a user gesture.
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var response = await page.GotoAsync(loop.ConsoleUrl + "/");
        Assert.Equal(200, response!.Status);

        // The recording is listed, with its recording ID, and its caller channel's waveform shades the pause where the sidecar says.
        var article = page.Locator($"article.recording[data-session-id='{summary.SessionId}']");
        Assert.Equal(1, await article.CountAsync());
        Assert.Contains("console-demo", await article.Locator("h3").InnerTextAsync(), StringComparison.Ordinal);
        var svg = article.Locator($"svg.waveform[data-channel='{channel}']");
        var shade = svg.Locator("rect.paused");
        Assert.Equal(1, await shade.CountAsync());
        var x = Attribute(await shade.GetAttributeAsync("x"));
        var width = Attribute(await shade.GetAttributeAsync("width"));
        Assert.InRange(x, (pauseStart / wavSeconds * 1000) - 0.5, (pauseStart / wavSeconds * 1000) + 0.5);
        Assert.InRange(x + width, (pauseEnd / wavSeconds * 1000) - 0.5, (pauseEnd / wavSeconds * 1000) + 0.5);
        // And the browser lays it out there: the shaded box's edges, as fractions of the drawn waveform, are the pause's times.
        var svgBox = (await svg.BoundingBoxAsync())!;
        var shadeBox = (await shade.BoundingBoxAsync())!;
        var pixel = wavSeconds / svgBox.Width;
        Assert.InRange((shadeBox.X - svgBox.X) / svgBox.Width * wavSeconds, pauseStart - (2 * pixel), pauseStart + (2 * pixel));
        Assert.InRange((shadeBox.X + shadeBox.Width - svgBox.X) / svgBox.Width * wavSeconds, pauseEnd - (2 * pixel), pauseEnd + (2 * pixel));
        Assert.StartsWith("paused", await svg.Locator("text.paused-label").TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Contains("caller@", await article.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await article.Locator("table.sidecar th", new LocatorLocatorOptions { HasText = "pauses[0].startSeconds" }).CountAsync() == 1);

        // The WAV is served with range requests, and the audio element plays it.
        await RangeRequestAnswers206Async(loop.ConsoleUrl + $"/recordings/{summary.SessionId}/audio.wav");
        var audio = article.Locator("audio");
        await audio.EvaluateAsync("a => a.play()");
        await Poll.UntilAsync(async () => await audio.EvaluateAsync<double>("a => a.currentTime") > 0.2, TimeSpan.FromSeconds(10),
            "the audio element's currentTime to advance");

        // A live session started now appears without a reload within 2 s of the SRS having it, and goes when it ends.
        var liveRows = page.Locator("#live tbody tr");
        Assert.Equal(0, await liveRows.CountAsync());
        var second = loop.CallAsync();
        await Poll.UntilAsync(() => loop.Server.LiveSessions.Count == 1, RecordedCallHarness.CallBound, "the second call's session at the SRS");
        await Poll.UntilAsync(async () => await liveRows.CountAsync() == 1, LiveBound, "the live session row in the page");
        var row = await liveRows.First.InnerTextAsync();
        Assert.Contains("console-demo", row, StringComparison.Ordinal);
        Assert.Contains(loop.Server.LiveSessions[0].SessionId, row, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Root, "docs", "console.png") });
        await second.WaitAsync(RecordedCallHarness.CallBound);
        await Poll.UntilAsync(() => loop.Server.LiveSessions.Count == 0, RecordedCallHarness.CallBound, "the second session's end at the SRS");
        await Poll.UntilAsync(async () => await liveRows.CountAsync() == 0, LiveBound, "the live session row to leave the page");

        // The gateway's view: the calls with their recorders, the failed recorder's row first.
        Assert.Equal(200, (await page.GotoAsync(loop.GatewayUrl + "/console"))!.Status);
        var callSid = (string)sidecar["callSid"]!;
        var callRows = page.Locator($"tr[data-call-sid='{callSid}']");
        Assert.Equal(2, await callRows.CountAsync());
        var firstRow = page.Locator("#calls tbody tr").First;
        Assert.Equal("failed", await firstRow.GetAttributeAsync("class"));
        Assert.Contains("sip:nobody@", await firstRow.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("stopped", await callRows.Filter(new LocatorFilterOptions { HasText = "sip:srs@" }).InnerTextAsync(), StringComparison.Ordinal);
    }

    private static async Task RangeRequestAnswers206Async(string url)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(44, 143);
        using var ranged = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(100, (await ranged.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("audio/wav", ranged.Content.Headers.ContentType?.MediaType);
    }

    // The run of zero samples around a frame: where the WAV really holds nothing.
    private static (int From, int To) SilenceAround(short[] samples, int frame)
    {
        var from = frame;
        var to = frame;
        while (from > 0 && samples[from - 1] == 0) from--;
        while (to < samples.Length && samples[to] == 0) to++;
        return (from, to);
    }

    private static double Attribute(string? text) => double.Parse(text!, CultureInfo.InvariantCulture);
}
