using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Faults;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.MediaEngine;

/// <summary>
/// Two rtpengine daemons behind one <c>siprec gateway</c> process (<c>media.engine = rtpengine</c>, both in
/// <c>media.rtpengine</c>): the one holding a call's media and its live recording is stopped (SIGSTOP: it keeps its sockets
/// and answers nothing). The operator must see the recording fail with <c>error_code</c> 503 and <c>media-engine-failed</c>
/// (REST resource and the gateway's log), and a new call must be anchored at the other daemon and record.
/// </summary>
[Collection(RtpengineCollection.Name)]
public sealed class RtpengineFailoverTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-rtpengine-failover-").FullName;

    [SkippableFact]
    public async Task AnRtpengineThatStopsAnswering_FailsTheRecordingsItHeld_AndNewCallsAreAnchoredAtTheOther()
    {
        using var first = await RtpengineDaemon.StartAsync();
        using var second = await RtpengineDaemon.StartAsync();
        await using var rig = new FaultRig(_work);
        var srs = await rig.StartSrsAsync("srs");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) }, configure: config =>
            config["media"] = new JObject { ["engine"] = "rtpengine", ["rtpengine"] = new JArray(first.Address, second.Address) });
        await rig.CallAsync();

        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var sid = (string)body["sid"]!;
        await Poll.UntilAsync(() => srs.Packets("1") > 0, Bound, "the SRS to write caller audio through rtpengine");
        // The call's media is anchored at one instance (offer/answer) and the recording subscribes there; nothing at the other.
        var holder = first.Commands.Contains("offer") ? first : second;
        var other = ReferenceEquals(holder, first) ? second : first;
        Assert.Contains("subscribe answer", holder.Commands);
        Assert.DoesNotContain("offer", other.Commands);
        Assert.DoesNotContain("publish", holder.Commands);

        Assert.True(holder.Signal(PosixSignals.Stop), "SIGSTOP of the rtpengine holding the recording");
        var failed = await rig.WaitForResourceAsync(sid, r => (string?)r["status"] == "stopped", Bound, "the recording to fail");
        output.WriteLine($"after SIGSTOP: {failed}");
        Assert.Equal(503, (int?)failed["error_code"]);
        Assert.Equal("failed", (string?)failed["recorders"]![0]!["status"]);
        Assert.StartsWith("media-engine-failed", (string?)failed["recorders"]![0]!["error"], StringComparison.Ordinal);
        await Poll.UntilAsync(() => rig.Gateway.Output.Contains("media-engine-failed", StringComparison.Ordinal), Bound,
            "the gateway to log media-engine-failed");
        await Poll.UntilAsync(() => rig.Gateway.Output.Contains("anchored at rtpengine", StringComparison.Ordinal)
                && rig.Gateway.Output.Contains("is lost", StringComparison.Ordinal), Bound, "the gateway to log that the call's anchored media is lost");

        // A new call: the stopped instance is down (its pings, or the offer's own tries), so the call is anchored at the other
        // one and recorded through it. The first call's media stays lost with its instance (no re-anchoring: CONTRACTS).
        await rig.CallAsync();
        var (again, againBody) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        Assert.True(again == HttpStatusCode.Created, againBody.ToString());
        var secondSid = (string)againBody["sid"]!;
        await rig.WaitForResourceAsync(secondSid, r => (string?)r["status"] == "in-progress", Bound, "the second recording to be in progress");
        Assert.Contains("offer", other.Commands);
        Assert.Contains("subscribe answer", other.Commands);
        await Poll.UntilAsync(() => srs.Sidecars().Count == 2 && srs.Sidecars().All(s => (long?)s["streams"]?[0]?["packets"] > 0), Bound,
            "the SRS to write caller audio of the second recording");

        // The failed recording still unsubscribed at the stopped instance (its datagrams wait in the daemon's socket): one that
        // comes back must not go on forking the first call to an SRS that was told the recording ended.
        Assert.True(holder.Signal(PosixSignals.Continue), "SIGCONT of the stopped rtpengine");
        await Poll.UntilAsync(() => holder.Commands.Contains("unsubscribe"), Bound, "the failed recording's unsubscribe at the instance that came back");
    }

    [SkippableFact]
    public async Task AnRtpengineThatIsNotThere_LeavesTheCallsMediaAtTheGateway_AndTheRecordingFailsWithMediaEngineFailed()
    {
        // Nothing listens on this ng port: every command is refused by the kernel (or times out), as with a daemon that is down.
        var absent = FreePorts.Udp();
        await using var rig = new FaultRig(_work);
        var srs = await rig.StartSrsAsync("srs");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) }, configure: config =>
            config["media"] = new JObject { ["engine"] = "rtpengine", ["rtpengine"] = new JArray($"udp:127.0.0.1:{absent}") });
        await rig.CallAsync();
        Assert.Contains("not anchored at rtpengine", rig.Gateway.Output, StringComparison.Ordinal); // logged before the 200

        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        output.WriteLine($"create: {(int)created} {body}");
        var failed = created == HttpStatusCode.Created
            ? await rig.WaitForResourceAsync((string)body["sid"]!, r => (string?)r["status"] == "stopped", Bound, "the recording to fail")
            : body;
        Assert.Contains("media-engine-failed", failed.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, srs.Sidecars().Count(s => (long?)s["streams"]?[0]?["packets"] > 0));

        // The call itself worked on the gateway's own media: the caller's RTP reached the gateway's bot directly.
        await rig.HangUpAsync();
        var ended = new Regex($@"call {rig.CallSid} ended \(\w+\); RTP from caller (\d+), to caller (\d+)");
        await Poll.UntilAsync(() => ended.IsMatch(rig.Gateway.Output), Bound, "the gateway's line for the call's end");
        var packets = ended.Match(rig.Gateway.Output);
        output.WriteLine(packets.Value);
        Assert.True(long.Parse(packets.Groups[1].Value, CultureInfo.InvariantCulture) > 0, "the gateway's bot received the caller's RTP without rtpengine");
        Assert.True(long.Parse(packets.Groups[2].Value, CultureInfo.InvariantCulture) > 0, "the bot sent RTP to the caller");
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
