using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Media.Wav;
using Siprec.Recorder;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.ControlPlane;

/// <summary>
/// Telnyx's per-request <c>SipTransport</c> and <c>Secure</c> on a REST create (DESIGN §4.4) against the embedded SRS,
/// which listens on one stream listener only while the connector says plain <c>sip:</c> over udp: the recording works
/// only if the override really changes how the SRC reaches the SRS. Over TLS the SRC trusts the roots of
/// <c>GatewayOptions.SrcTls</c>: the SRS's test CA records, another CA is refused with the §4.2 "every SRS failed" error.
/// A secure recording also has RTCP, as SRTCP both ways (RFC 3711 §3.4): the resource's <c>recorders[].media</c> carries
/// the SRS's receiver reports and the sidecar's <c>streams[].rtcp</c> the SRC's sender reports.
/// </summary>
public sealed class TelnyxTransportOverrideTests : IDisposable
{
    private const int SampleRate = 8000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-telnyx-").FullName;

    [Fact]
    public async Task SipTransportTcp_RecordsOverTcp_AndTheResourceReadsInProgressThenStopped()
    {
        await using var rig = await RestRecordingRig.StartAsync(new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 0)), null, _work);

        await AssertCreateRecordsThenStopAsync(rig, "tcp", ("ConnectorName", "srs"), ("SipTransport", "tcp"), ("Track", "both_tracks"));
    }

    [Fact]
    public async Task SecureTrue_RecordsOverTlsWithSrtp_AndTheResourceReadsInProgressThenStopped()
    {
        // The SRC trusts the SRS's test CA through GatewayOptions.SrcTls, not through the machine's store.
        using var certificates = new TestCertificates();
        await using var rig = await RestRecordingRig.StartAsync(new SipListenEndPoint(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 0)),
            certificates.Server, _work, certificates.TrustStore);

        // Secure media goes only to an RTP/SAVP answer with a=crypto, so audio the SRS decoded came over SRTP.
        var json = await AssertCreateRecordsThenStopAsync(rig, "tls", ("ConnectorName", "srs"), ("Secure", "true"));

        Assert.All(json["streams"]!, stream =>
        {
            var rtcp = stream["rtcp"]!;
            Assert.True((long)rtcp["senderReports"]! >= 1, $"the SRS read no SRTCP sender report on stream {stream["label"]}: {rtcp}");
            Assert.True((long)rtcp["receiverReportsSent"]! >= 1, $"the SRS sent no SRTCP receiver report on stream {stream["label"]}: {rtcp}");
            Assert.Equal(0L, (long)rtcp["srtcpRejected"]!);
        });
    }

    [Fact]
    public async Task AnSrsCertificateFromAnUntrustedCa_FailsTheSecureCreate_AndNothingIsRecorded()
    {
        // The SRC trusts only another test CA (SrcTls.TrustedRoots), so the SRS's chain has no trusted root.
        using var untrusted = new TestCertificates();
        using var trusted = new TestCertificates();
        await using var rig = await RestRecordingRig.StartAsync(new SipListenEndPoint(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 0)),
            untrusted.Server, _work, trusted.TrustStore);

        var (status, body) = await rig.PostAsync(null, ("ConnectorName", "srs"), ("Secure", "true"));

        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"Telnyx create answered {(int)status}: {body}");
        var error = Assert.Single((JArray)body["errors"]!);
        // Telnyx writes error codes as strings; 99110 is our "no recorder accepted" (README error-code table), the SIP 503 is the status.
        Assert.Equal((JTokenType.String, "99110"), (error["code"]!.Type, (string?)error["code"]));
        var detail = (string)error["detail"]!;
        Assert.StartsWith($"Error starting SipRec call recording: sip:srs@127.0.0.1:{rig.SrsListener.EndPoint.Port}: ", detail);
        Assert.Contains("certificate", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("TLS", detail);
        Assert.Contains("does not chain to a trusted root", detail, StringComparison.Ordinal);
        // The failed attempt stays listed as a session that never started (Twilio-style), with the §4.2 code.
        var session = Assert.Single((JArray)(await rig.ListAsync()).Body["siprec_sessions"]!);
        Assert.Equal("stopped", (string?)session["status"]);
        Assert.Equal(503, (int?)session["error_code"]);
        Assert.Equal(JTokenType.Null, session["start_time"]!.Type);
        await rig.HangUpAsync();
        Assert.Empty(Directory.GetFiles(rig.OutputDirectory));
        Assert.False(rig.Recorded.IsCompleted, "the SRS completed a session although the SRC refused its certificate");
    }

    // The create answers in-progress, the SRS records over the expected transport, the stop ends its session; gives the
    // sidecar. With Secure, the recorder's (SRTCP) receiver reports must reach the resource's media first.
    private static async Task<JObject> AssertCreateRecordsThenStopAsync(RestRecordingRig rig, string transport, params (string Name, string Value)[] form)
    {
        var (status, created) = await rig.PostAsync(null, form);

        Assert.True(status == HttpStatusCode.OK, $"Telnyx create answered {(int)status}: {created}");
        var sid = (string)created["sid"]!;
        Assert.Equal("in-progress", (string?)created["status"]);
        Assert.Equal("in-progress", (string?)(await rig.FetchAsync(sid)).Body["status"]);
        await rig.WaitForAudioAsync(3);
        if (form.Contains(("Secure", "true"))) await WaitForRecorderReportsAsync(rig, sid);
        var summary = await StopAsync(rig, sid);

        var json = JObject.Parse(await File.ReadAllTextAsync(summary.JsonPath));
        Assert.Equal(transport, (string?)json["transport"]);
        AssertBothChannelsRecorded(summary);
        return json;
    }

    // The SR goes out 1.25-3.75 s after the first packet, the SRS answers on its next 2.5-7.5 s tick: well inside the bound.
    private static async Task WaitForRecorderReportsAsync(RestRecordingRig rig, string sid)
    {
        JToken? media = null;
        await Poll.UntilAsync(async () =>
        {
            media = (await rig.FetchAsync(sid)).Body["recorders"]?.FirstOrDefault()?["media"];
            return media is JArray { Count: 2 } streams && streams.All(m => m["packets_lost"]!.Type == JTokenType.Integer);
        }, Bound, "the secure recorder's receiver reports in recorders[0].media");
        Assert.All(media!, m =>
        {
            Assert.True((long)m["packets_sent"]! > 0, m.ToString());
            Assert.InRange((double)m["fraction_lost"]!, 0, 1);
            Assert.True((double)m["jitter_ms"]! >= 0, m.ToString());
        });
    }

    private static async Task<RecordedSessionSummary> StopAsync(RestRecordingRig rig, string sid)
    {
        var (status, stopped) = await rig.PostAsync(sid, ("Status", "stopped"));
        Assert.True(status == HttpStatusCode.OK, $"Telnyx stop answered {(int)status}: {stopped}");
        Assert.Equal("stopped", (string?)stopped["status"]);
        Assert.Equal("stopped", (string?)(await rig.FetchAsync(sid)).Body["status"]);
        var summary = await rig.Recorded.WaitAsync(Bound);
        Assert.True(summary.Complete, "the SRS session was not ended by the SRC's BYE");
        return summary;
    }

    private static void AssertBothChannelsRecorded(RecordedSessionSummary summary)
    {
        Assert.Equal(2, summary.Streams.Count);
        Assert.All(summary.Streams, s => Assert.True(s.Packets > 0, $"stream {s.Label} received no RTP"));
        var wav = WavFile.Read(summary.WavPath);
        Assert.Equal(SampleRate, wav.SampleRate);
        Assert.Equal(2, wav.Channels);
        // 0.2 s of the caller's exact samples is proof enough that the stream was decoded right. A packet lost on the way
        // is a gap; when the SRS lost and dropped none, every talked sample must be in the WAV (late ones are merged in).
        var sidecar = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(summary.JsonPath));
        var noGaps = summary.Streams[0].Lost == 0 && (long)sidecar["latePacketsDropped"]! == 0;
        CallerLoopCheck.AssertFollowsCallerLoop(wav.GetChannel(0), SampleRate / 5, "caller channel", noGaps);
        Assert.Contains(wav.GetChannel(1), s => s != 0);
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
