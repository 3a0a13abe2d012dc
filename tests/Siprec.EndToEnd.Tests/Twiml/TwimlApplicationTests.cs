using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Faults;
using Siprec.Testing;
using Siprec.Testing.Http;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.Twiml;

/// <summary>
/// TwiML/TeXML applications with real processes on 127.0.0.1 (issue 13): <c>siprec gateway</c> whose account's voice URL
/// is a loopback HTTP server, two <c>siprec srs</c>, and a talking caller. The document records the call over SIPREC with
/// <c>&lt;Start&gt;&lt;Siprec&gt;</c> and stops by name with <c>&lt;Stop&gt;&lt;Siprec&gt;</c>; the recordings are read back from disk.
/// </summary>
public sealed class TwimlApplicationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-twiml-").FullName;

    // Both connectors and the voice URL (with the dialect) go into the gateway's configuration; the flow is dropped.
    private static Action<JObject> VoiceApplication(Uri voiceUrl, string secondSrsUri, string dialect) => config =>
    {
        config.Remove("flow");
        var account = (JObject)((JArray)config["accounts"]!)[0];
        account["voiceUrl"] = voiceUrl.ToString();
        account["dialect"] = dialect;
        ((JArray)config["connectors"]!).Add(new JObject { ["name"] = "rec2", ["uris"] = new JArray(secondSrsUri) });
    };

    [SkippableFact]
    public async Task TwoBothTrackSessions_OneStoppedByStopSiprec_TheOtherByRest_AThirdRefusedByTheStreamBudget_BothOnDisk()
    {
        using var server = new DocumentServer();
        server.Serve("voice", """
            <Response>
              <Start><Siprec name="first" connectorName="rec"/></Start>
              <Start><Siprec name="second" connectorName="rec2" track="both_tracks"/></Start>
              <Play>hello.wav</Play>
              <Stop><Siprec name="first"/></Stop>
              <Pause length="120"/>
            </Response>
            """);
        server.Serve("hello.wav", File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "audio", "prompt-welcome.wav")), "audio/wav");
        await using var rig = new FaultRig(_work);
        var one = await rig.StartSrsAsync("srs-one");
        var two = await rig.StartSrsAsync("srs-two");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(one.Uri) }, configure: VoiceApplication(server.UrlOf("voice"), two.Uri, "twilio"));

        await rig.CallAsync();

        await server.WaitForAsync(1, Bound);
        var webhook = server.Received.First();
        Assert.Equal(("POST", "/voice"), (webhook.Method, webhook.Path));
        Assert.Equal(rig.CallSid, webhook.Fields["CallSid"]);
        Assert.Equal(FaultRig.AccountSid, webhook.Fields["AccountSid"]);
        Assert.Equal(("in-progress", "inbound", "2010-04-01"), (webhook.Fields["CallStatus"], webhook.Fields["Direction"], webhook.Fields["ApiVersion"]));
        var first = await rig.WaitForResourceAsync("first", r => (string?)r["status"] == "stopped", Bound, "<Stop><Siprec name=\"first\"/> to stop 'first'");
        Assert.Equal(JTokenType.Null, first["error_code"]!.Type);
        var second = await rig.WaitForResourceAsync("second", r => (string?)r["status"] == "in-progress", Bound, "'second' in progress");

        // 'second' uses 2 of the 4 streams; a third both-tracks session fits, a fourth does not: 400 with the stream-budget
        // code of the README's error table (99103; Twilio documents no code of its own for it).
        var (third, thirdBody) = await rig.PostAsync(null, ("ConnectorName", "rec"), ("Name", "third"));
        Assert.True(third == HttpStatusCode.Created, thirdBody.ToString());
        var (fourth, fourthBody) = await rig.PostAsync(null, ("ConnectorName", "rec2"), ("Name", "fourth"));
        Assert.True(fourth == HttpStatusCode.BadRequest, fourthBody.ToString());
        Assert.Contains("too many SIPREC streams on this call", (string?)fourthBody["message"] ?? fourthBody.ToString());
        Assert.Equal(99103, (int?)fourthBody["code"]);

        await Task.Delay(TimeSpan.FromSeconds(2));
        var (stopped, stoppedBody) = await rig.PostAsync((string)second["sid"]!, ("Status", "stopped"));
        Assert.True(stopped == HttpStatusCode.OK, stoppedBody.ToString());
        await rig.PostAsync("third", ("Status", "stopped"));
        await rig.HangUpAsync();

        await Poll.UntilAsync(() => one.Sidecars().Count == 2 && one.Sidecars().All(s => (bool?)s["complete"] == true)
            && two.Sidecars().Count == 1 && (bool?)two.Sidecars()[0]["complete"] == true, Bound, "final sidecars: 'first' and 'third' on srs-one, 'second' on srs-two");
        foreach (var (srs, sidecar) in one.Sidecars().Select(s => (one, s)).Concat(two.Sidecars().Select(s => (two, s))))
        {
            var wav = Path.Combine(srs.OutputDirectory, (string)sidecar["wavFile"]!);
            Assert.True(File.Exists(wav), wav);
            Assert.Equal(2, sidecar["streams"]!.Count());
            output.WriteLine($"{srs.Process.Name}: {Path.GetFileName(wav)} {new FileInfo(wav).Length} B, {sidecar["durationSeconds"]} s, "
                + $"packets {string.Join("/", sidecar["streams"]!.Select(s => s["packets"]))}");
        }
        var firstSidecar = one.Sidecars().OrderBy(s => (DateTime)s["startTime"]!).First();
        Assert.True((double)firstSidecar["durationSeconds"]! > 1.0, "the first session recorded while the prompt played");
    }

    [SkippableFact]
    public async Task TexmlStartSiprec_HoldsTheNextVerb_UntilRestStopsTheSession()
    {
        using var server = new DocumentServer();
        server.Serve("voice", """
            <Response>
              <Start><Siprec name="held" connectorName="rec" sipTransport="udp" sessionTimeoutSecs="1800"/></Start>
              <Play>after.wav</Play>
              <Pause length="120"/>
            </Response>
            """);
        server.Serve("after.wav", File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "audio", "prompt-goodbye.wav")), "audio/wav");
        await using var rig = new FaultRig(_work);
        var one = await rig.StartSrsAsync("srs-held");
        var two = await rig.StartSrsAsync("srs-unused");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(one.Uri) }, configure: VoiceApplication(server.UrlOf("voice"), two.Uri, "telnyx"));

        await rig.CallAsync();
        var held = await rig.WaitForResourceAsync("held", r => (string?)r["status"] == "in-progress", Bound, "'held' in progress");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(server.Received, r => r.Path == "/after.wav");

        var (stopped, body) = await rig.PostAsync((string)held["sid"]!, ("Status", "stopped"));
        Assert.True(stopped == HttpStatusCode.OK, body.ToString());

        await Poll.UntilAsync(() => server.Received.Any(r => r.Path == "/after.wav"), Bound, "the <Play> after the TeXML start to run");
        Assert.Contains("holds the next instruction until SIPREC session", rig.Gateway.Output);
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
