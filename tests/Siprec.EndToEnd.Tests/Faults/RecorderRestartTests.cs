using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// Fault 3 of issue 12 with real processes: <c>kill -9</c> of the <c>siprec srs</c> recording a real <c>siprec gateway</c>'s
/// call, then a new <c>siprec srs</c> on the same <c>--out</c>. Right after the kill the WAV is one a standard reader
/// (<c>soxi</c>) takes and holds the audio up to about 1 s before the kill (its header is patched every second); the restart
/// finalizes the sidecar (<c>complete: false</c>, <c>reason: "recorder restarted"</c>, the WAV's duration) and the WAV header.
/// </summary>
public sealed class RecorderRestartTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-fault-restart-").FullName;

    [SkippableFact]
    public async Task KillingTheSrsMidRecording_LeavesAPlayableWav_AndTheRestartFinalizesTheSidecar()
    {
        await using var rig = new FaultRig(_work);
        var folder = Path.Combine(_work, "recordings");
        var srs = await rig.StartSrsAsync("srs-killed", folder);
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) });
        await rig.CallAsync();
        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"), ("Name", "killed"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        // The sidecar is rewritten every 5 s: 250 caller packets in it means at least 5 s recorded.
        await Poll.UntilAsync(() => srs.Packets("1") >= 250, Bound, "the SRS to record 5 s of caller audio");

        Assert.True(srs.Process.Signal(PosixSignals.Kill), "kill -9 of the SRS");
        var killedAt = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => srs.Process.HasExited, Bound, "the SRS to die");
        var left = Assert.Single(srs.Sidecars());
        var wav = Path.Combine(folder, (string)left["wavFile"]!);
        var afterKill = await WavFacts.ReadAsync(wav);
        var startedAt = new DateTimeOffset(((DateTime)left["startTime"]!).ToUniversalTime());
        var recordedUntilKill = (killedAt - startedAt).TotalSeconds;
        output.WriteLine($"kill -9 {recordedUntilKill:F2} s into the recording: WAV header {afterKill.Seconds:F2} s "
            + $"(soxi -s {afterKill.SoxiSamples}, file {afterKill.FileBytes} B), missing {recordedUntilKill - afterKill.Seconds:F2} s; "
            + $"sidecar left: complete {left["complete"]}, stopTime {left["stopTime"]}, durationSeconds {left["durationSeconds"]}, "
            + $"packets {string.Join("/", left["streams"]!.Select(s => s["packets"]))}");
        Assert.Equal(afterKill.Frames, afterKill.SoxiSamples);
        Assert.False((bool)left["complete"]!);
        Assert.Equal(JTokenType.Null, left["stopTime"]!.Type);
        Assert.All(left["streams"]!, s => Assert.True((long)s["packets"]! > 0));
        // The promise: audio up to about 1 s before the kill (a flush every second, each writing all but the 200 ms jitter
        // window); 2 s bounds it with scheduling slack on a loaded 2-core machine.
        Assert.InRange(recordedUntilKill - afterKill.Seconds, -0.5, 2.0);

        var restarted = await rig.StartSrsAsync("srs-restarted", folder);
        var final = Assert.Single(restarted.Sidecars());
        var repaired = await WavFacts.ReadAsync(wav);
        output.WriteLine($"after the restart: sidecar complete {final["complete"]}, reason {final["reason"]}, stopTime {final["stopTime"]}, "
            + $"durationSeconds {final["durationSeconds"]}; WAV header {repaired.Seconds:F2} s, file {repaired.FileBytes} B, soxi -s {repaired.SoxiSamples}");
        Assert.False((bool)final["complete"]!);
        Assert.Equal("recorder restarted", (string?)final["reason"]);
        Assert.NotEqual(JTokenType.Null, final["stopTime"]!.Type);
        Assert.True(repaired.HeaderMatchesFile, $"header says {repaired.DataBytes} data bytes, the file has {repaired.FileBytes} bytes");
        Assert.Equal(repaired.Frames, repaired.SoxiSamples);
        Assert.True(repaired.Frames >= afterKill.Frames);
        Assert.Equal(Math.Round(repaired.Seconds, 3), (double)final["durationSeconds"]!, 3);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
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
