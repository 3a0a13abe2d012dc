using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// Fault 2 of issue 12 with real processes: 100 SIPREC sessions from 127.0.0.2 that send no media and never BYE, against
/// one <c>siprec srs</c> with its default limits (64 in all, 32 per source) and a short media timeout. A live recording a
/// real <c>siprec gateway</c> on 127.0.0.1 starts during the flood succeeds, because the flood can take only its own
/// source's share; the dead sessions are then ended by the media timeout with BYE <c>Reason: SIP ;cause=408</c>.
/// </summary>
public sealed class DeadSessionFloodTests(ITestOutputHelper output) : IDisposable
{
    private const int DeadSessions = 100;
    private const int MediaTimeoutSecs = 8;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-fault-flood-").FullName;

    [SkippableFact]
    public async Task AFloodOfDeadSessionsFromOneSource_DoesNotLockOutALiveSrc_AndIsEndedByTheMediaTimeout()
    {
        await using var rig = new FaultRig(_work);
        var srs = await rig.StartSrsAsync("srs-flooded", null, "--media-timeout", MediaTimeoutSecs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) });
        await rig.CallAsync();
        await using var dead = DeadSiprecSource.Bind(IPAddress.Parse("127.0.0.2"));
        var srsEndPoint = new IPEndPoint(IPAddress.Loopback, srs.Port);

        var clock = Stopwatch.StartNew();
        var answers = new List<int>();
        string? retryAfter = null, warning = null;
        for (var i = 0; i < DeadSessions; i++)
        {
            var answer = await dead.InviteAsync(srsEndPoint, i);
            answers.Add(answer.StatusCode);
            if (answer.StatusCode == 503)
            {
                retryAfter ??= answer.GetHeader("Retry-After");
                warning ??= answer.GetHeader("Warning");
            }
        }
        var accepted = answers.Count(c => c == 200);
        output.WriteLine($"{DeadSessions} dead INVITEs from 127.0.0.2 in {clock.ElapsedMilliseconds} ms: {accepted} × 200, "
            + $"{answers.Count(c => c == 503)} × 503 (Retry-After {retryAfter}, Warning {warning})");

        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"), ("Name", "live-during-flood"));
        var startedAfter = clock.Elapsed;
        var byesBeforeLive = dead.Byes.Count;
        output.WriteLine($"live recording from the gateway on 127.0.0.1 started {startedAfter.TotalMilliseconds:0} ms after the flood began: "
            + $"{(int)created}, {byesBeforeLive} dead session(s) ended by then");
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        Assert.Equal(0, byesBeforeLive); // the live one was admitted while every dead session still held its place
        Assert.Equal(32, accepted);
        Assert.Equal(DeadSessions - 32, answers.Count(c => c == 503));
        Assert.Equal("5", retryAfter);
        Assert.Contains("limit of 32 sessions from 127.0.0.2", warning, StringComparison.Ordinal);
        var sid = (string)body["sid"]!;
        await Poll.UntilAsync(() => srs.Packets("1") > 0, Bound, "the live recording to write caller audio");

        await Poll.UntilAsync(() => dead.Byes.Count >= accepted, Bound, "the SRS to end every dead session");
        output.WriteLine($"all {accepted} dead sessions ended by the SRS {clock.ElapsedMilliseconds} ms after the flood began (media timeout {MediaTimeoutSecs} s)");
        Assert.All(dead.Byes, bye => Assert.Equal($"SIP ;cause=408 ;text=\"no RTP for {MediaTimeoutSecs} s\"", bye.GetHeader("Reason")));
        var ended = srs.Sidecars().Where(s => (string?)s["srcAddress"] is { } a && a.StartsWith("127.0.0.2:", StringComparison.Ordinal)).ToList();
        Assert.Equal(accepted, ended.Count);
        Assert.All(ended, s => Assert.Equal($"no RTP for {MediaTimeoutSecs} s", (string?)s["reason"]));

        var live = await rig.WaitForResourceAsync(sid, r => (string?)r["status"] == "in-progress", Bound, "the live recording to stay in progress");
        Assert.Equal("active", (string?)live["recorders"]![0]!["status"]);
        var packets = srs.Packets("1");
        await Poll.UntilAsync(() => srs.Packets("1") >= packets + 50, Bound, "the live recording to go on after the flood ended");
        output.WriteLine($"live recording still in progress, {srs.Packets("1")} caller packets written");
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
