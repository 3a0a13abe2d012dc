using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// Fault 1 of issue 12 with real processes: the disk of the only <c>siprec srs</c> of a connector fills up mid-call (a
/// 192 KiB tmpfs the test mounts, about 6 s of two-channel audio). The SRS ends the session with BYE
/// <c>Reason: SIP ;cause=507 ;text="storage full"</c>, the real <c>siprec gateway</c> reports that recorder failed and moves
/// the recording to the standby, and the files on the full disk are consistent: the WAV header counts exactly the data in
/// the file, the sidecar is final with the reason, no temporary file is left, and the SRS said so in one log line.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-fault-diskfull-").FullName;

    [SkippableFact]
    public async Task AFullDisk_EndsTheRecordingWithBye507_TheGatewayFailsOver_AndTheFilesStayConsistent()
    {
        Skip.If(Environment.UserName != "root" && !Siprec.Testing.Peers.IsCi, "mounting a tmpfs needs root");
        var disk = Path.Combine(_work, "small-disk");
        Directory.CreateDirectory(disk);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=192k,mode=0755", "siprec-full", disk); // under CI a failure here fails the test
        try
        {
            await RecordUntilFullAsync(disk);
        }
        finally
        {
            using var umount = PeerProcess.Start("umount", [disk]);
            if (!await umount.WaitForExitAsync(CommandLimit) || umount.ExitCode != 0)
            {
                using var lazy = PeerProcess.Start("umount", ["-l", disk]);
                await lazy.WaitForExitAsync(CommandLimit);
            }
        }
    }

    private async Task RecordUntilFullAsync(string disk)
    {
        await using var rig = new FaultRig(_work);
        var full = await rig.StartSrsAsync("srs-full", disk);
        var standby = await rig.StartSrsAsync("srs-standby");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(full.Uri), ["failoverUris"] = new JArray(standby.Uri) });
        using var capture = await Peers.LoopbackCapture.StartAsync($"port {full.Port}", stopAfterPackets: 200, TimeSpan.FromSeconds(90), _work);
        await rig.CallAsync();
        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"), ("Name", "disk-full"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var sid = (string)body["sid"]!;
        var clock = Stopwatch.StartNew();

        var resource = await rig.WaitForResourceAsync(sid, r => FaultRig.Recorder(r, standby.Uri)["status"]?.ToString() == "active", TimeSpan.FromSeconds(60),
            "the recording to move to the standby once the disk is full");
        output.WriteLine($"disk full: standby active {clock.ElapsedMilliseconds} ms after the start; failed recorder on REST: {FaultRig.Recorder(resource, full.Uri)}");
        Assert.Equal("in-progress", (string?)resource["status"]);
        Assert.Equal("failed", (string?)FaultRig.Recorder(resource, full.Uri)["status"]);
        // The SRS said why (RFC 3326 Reason on its BYE): the operator sees 507 and "storage full", not a bare "BYE from SRS".
        Assert.Equal(507, (int?)FaultRig.Recorder(resource, full.Uri)["error_code"]);
        Assert.Contains("storage full", FaultRig.Recorder(resource, full.Uri).ToString(), StringComparison.Ordinal);
        Assert.Equal(full.Uri, (string?)FaultRig.Recorder(resource, standby.Uri)["replaces"]);
        await Poll.UntilAsync(() => standby.Packets("1") > 50, Bound, "the standby to write caller audio");

        var sidecar = Assert.Single(full.Sidecars());
        var wav = Path.Combine(disk, (string)sidecar["wavFile"]!);
        var facts = await WavFacts.ReadAsync(wav);
        output.WriteLine($"full disk: {string.Join(", ", Directory.GetFiles(disk).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} B"))}");
        output.WriteLine($"WAV header: {facts.DataBytes} data bytes = {facts.Seconds:F2} s, file {facts.FileBytes} B, soxi -s {facts.SoxiSamples}; "
            + $"sidecar: complete {sidecar["complete"]}, reason {sidecar["reason"]}, durationSeconds {sidecar["durationSeconds"]}, "
            + $"packets {string.Join("/", sidecar["streams"]!.Select(s => s["packets"]))}");
        Assert.False((bool)sidecar["complete"]!);
        Assert.Equal("storage full", (string?)sidecar["reason"]);
        Assert.NotEqual(JTokenType.Null, sidecar["stopTime"]!.Type);
        Assert.True(facts.HeaderMatchesFile, $"header says {facts.DataBytes} data bytes, the file has {facts.FileBytes} bytes");
        Assert.Equal(facts.Frames, facts.SoxiSamples);
        Assert.True(facts.Seconds > 1, $"only {facts.Seconds:F2} s were recorded before the disk was full");
        Assert.Equal(Math.Round(facts.Seconds, 3), (double)sidecar["durationSeconds"]!, 3);
        Assert.Empty(Directory.GetFiles(disk, "*.tmp"));

        var srsOutput = full.Process.Output;
        output.WriteLine(string.Join("\n", srsOutput.Split('\n').Where(l => l.Contains("storage", StringComparison.Ordinal))));
        Assert.Equal(1, Occurrences(srsOutput, "the recording stops here"));
        Assert.Equal(0, Occurrences(srsOutput, "writing the recording failed"));

        Assert.True(await capture.StopAsync(Bound), "tshark did not stop");
        var bye = await Peers.SipDissection.ReadAsync(capture.File, full.Port, "sip.Method == \"BYE\"");
        Assert.Contains("Reason: SIP ;cause=507 ;text=\"storage full\"", bye.Detail, StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = PeerProcess.Start(program, arguments);
        if (!await process.WaitForExitAsync(CommandLimit)) throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {process.StandardError}");
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
