using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.ControlPlane;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Gateway.Configuration;
using Siprec.Media.Rtpengine;
using Siprec.Media.Wav;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.MediaEngine;

/// <summary>
/// A secure recorder (Telnyx <c>Secure=true</c>: TLS signalling, SRTP with SDES keys) recorded through the real rtpengine
/// daemon: rtpengine's <c>subscribe request</c> for RTP/SAVP offers its keys, the embedded SRS answers with its own, and
/// the SRS can decode only what rtpengine protected with the key the SRC's offer carried. Asserted from the SRS's output:
/// both streams received, nothing rejected as bad SRTP, and the caller channel is the caller loop after the G.711 round trip.
/// </summary>
[Collection(RtpengineCollection.Name)]
public sealed class RtpengineSrtpTests : IDisposable
{
    private const int SampleRate = 8000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-rtpengine-srtp-").FullName;

    [SkippableFact]
    public async Task ASecureRecorder_GetsSrtpFromRtpengine_ThatItDecodesToTheCallersAudio()
    {
        using var daemon = await RtpengineDaemon.StartAsync();
        Assert.True(RtpengineInstance.TryParse(daemon.Address, out var instance, out var error), error);
        using var certificates = new TestCertificates();
        await using var rig = await RestRecordingRig.StartAsync(new SipListenEndPoint(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 0)),
            certificates.Server, _work, certificates.TrustStore, o => o with { MediaEngine = GatewayMediaEngine.Rtpengine, Rtpengines = [instance!] });

        var (status, created) = await rig.PostAsync(null, ("ConnectorName", "srs"), ("Secure", "true"));
        Assert.True(status == HttpStatusCode.OK, $"Telnyx create answered {(int)status}: {created}");
        var sid = (string)created["sid"]!;
        await rig.WaitForAudioAsync(3);
        var (stopStatus, stopped) = await rig.PostAsync(sid, ("Status", "stopped"));
        Assert.True(stopStatus == HttpStatusCode.OK, stopped.ToString());
        var summary = await rig.Recorded.WaitAsync(Bound);

        Assert.Contains("subscribe answer", daemon.Commands);
        var sidecar = JObject.Parse(await File.ReadAllTextAsync(summary.JsonPath));
        Assert.Equal("tls", (string?)sidecar["transport"]);
        Assert.All(sidecar["streams"]!, s =>
        {
            Assert.True((long)s["packets"]! > 0, $"stream {s["label"]} received no SRTP: {s}");
            Assert.Equal(0L, (long)s["srtpRejected"]!);
        });
        var wav = WavFile.Read(summary.WavPath);
        CallerLoopCheck.AssertFollowsCallerLoop(wav.GetChannel(0), SampleRate / 5, "caller channel (SRTP from rtpengine)");
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
