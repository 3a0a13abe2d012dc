using Siprec.EndToEnd.Tests.Interop;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Gateway.Configuration;
using Siprec.Media.Rtpengine;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.MediaEngine;

/// <summary>
/// A call recorded through the Debian rtpengine daemon (userspace, loopback) instead of the embedded forwarder: a sipp
/// caller streams the caller loop to the gateway, which runs <c>samples/flows/record-call.json</c> (start, welcome prompt,
/// pause around the card-number prompt, resume, stop) with <c>media.engine = rtpengine</c>. The embedded SRS's WAV must pass
/// the same checks as with the embedded engine (caller channel the G.711 round trip of the caller loop outside the paused
/// span, the paused span silent, the bot channel the welcome prompt and not the card-number one), and the daemon's log
/// must show the ng commands the contract names (docs/CONTRACTS.md, rtpengine): the call anchored there (offer/answer), the
/// recorder subscribed to both participants, pause and resume as held and restored subscription answers.
/// </summary>
[Collection(RtpengineCollection.Name)]
public sealed class RtpengineRecordingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CallerLimit = TimeSpan.FromSeconds(60);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-rtpengine-").FullName;

    [SkippableFact]
    public async Task ACallAnchoredAtRtpengine_IsRecordedThroughIt_PassingTheEmbeddedEnginesWavChecks_AndPausesByHoldingTheSubscription()
    {
        Siprec.Testing.Peers.Require("sipp");
        using var counter = new RtpengineReceivedCounter();
        using var daemon = await RtpengineDaemon.StartAsync();
        GatewayWithEmbeddedSrs.WriteCallerUlaw(Path.Combine(_work, "caller.ulaw"));
        Assert.True(RtpengineInstance.TryParse(daemon.Address, out var instance, out var error), error);

        await using var loop = await GatewayWithEmbeddedSrs.StartSrsAsync(_work);
        await loop.StartGatewayAsync("record-call.json", $"sip:srs@127.0.0.1:{loop.SrsPort}", "rtpengine-e2e", tcp: false,
            o => o with { MediaEngine = GatewayMediaEngine.Rtpengine, Rtpengines = [instance!] });

        using var caller = SippRun.Start("caller-pcmu.xml", FreePorts.Udp(), _work, ["-mi", "127.0.0.1", $"127.0.0.1:{loop.GatewayPort}"]);
        // While the call runs, rtpengine's query answers move the rtpengine-tagged packet counter (polled every 5 s).
        await Siprec.Testing.Poll.UntilAsync(() => counter.Caller > 0, CallerLimit, "siprec.media.rtpengine.received{leg=caller} above 0 during the call");
        var callerExit = await caller.WaitAsync(CallerLimit);
        Assert.True(callerExit == 0, $"sipp caller exit {callerExit?.ToString() ?? "(still running)"}\n{caller.Diagnostics(_work)}");

        var summary = await loop.CallEndedAsync();
        InteropAssert.FlowRanWithPauseAndResume(summary);
        var session = await loop.RecordedAsync();
        output.WriteLine($"rtpengine commands: {string.Join(", ", daemon.Commands)}");
        GatewayWithEmbeddedSrs.AssertFaithfulRecordingWithOnePause(session);

        // The call's media was anchored at rtpengine, and pause/resume/stop mapped to its commands (in this order).
        var commands = daemon.Commands.Where(c => c is not "ping" and not "query").ToList();
        string[] expected = ["offer", "answer", "subscribe request", "subscribe answer", "subscribe answer", "subscribe answer", "unsubscribe", "delete"];
        Assert.True(expected.SequenceEqual(commands), $"ng commands [{string.Join(", ", commands)}], expected [{string.Join(", ", expected)}]\n{daemon.Log}");
        var sidecar = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(session.JsonPath));
        output.WriteLine($"sidecar streams: {sidecar["streams"]}");
        Assert.All(sidecar["streams"]!, s => Assert.Equal(0, (int)s["packetsWhilePaused"]!));
        // rtpengine keeps numbering through the hold: the SRS counts that gap as the pause's, not as loss (±1 s of packets).
        var callerStream = sidecar["streams"]!.First(s => (int)s["channel"]! == 0);
        var heldBack = (long)callerStream["skippedWhilePaused"]!;
        var pausedFor = sidecar["pauses"]!.Sum(p => (double?)p["durationSeconds"] ?? 0);
        Assert.InRange(heldBack, (long)(pausedFor * 50) - 50, (long)(pausedFor * 50) + 50);
        Assert.InRange((long)callerStream["lost"]!, 0, 5);

        // rtpengine's own count of the caller leg from the recording's start (ng query: a baseline when the recorder subscribed,
        // the last when the recording's media is let go at hang-up; the call's packets before the start are not counted): every
        // packet the SRS wrote, plus those held back while paused, plus those of the goodbye prompt the flow plays after stopping
        // the recording, 50 a second; ±2 s worth (100 packets) for the edges (before the SRS's answer, the pause's ends).
        var srsCaller = (long)sidecar["streams"]!.First(s => (int)s["channel"]! == 0)["packets"]!;
        var pausedSeconds = sidecar["pauses"]!.Sum(p => (double?)p["durationSeconds"] ?? 0);
        var goodbyeSeconds = GatewayWithEmbeddedSrs.Prompt("goodbye").Length / 8000.0;
        var expectedPackets = srsCaller + (long)Math.Round((pausedSeconds + goodbyeSeconds) * 50);
        var least = expectedPackets - 100;
        var most = expectedPackets + 100;
        output.WriteLine($"rtpengine received on the caller leg: {counter.Caller}; SRS wrote {srsCaller}, paused {pausedSeconds} s, goodbye {goodbyeSeconds:0.000} s: expected {least}..{most}");
        Assert.InRange(counter.Caller, least, most);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
