using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Recorder;
using Siprec.Recording;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Sip;

/// <summary>
/// RFC 3261 §18.1.1 on real sockets: the SRC's ~3 KB SIPREC INVITE to the embedded SRS listening on UDP and TCP on one
/// port goes over TCP (tshark sees it there, the SRS's sidecar says <c>tcp</c>); with <c>;transport=udp</c> in the URI it
/// stays on UDP and the SRC logs a warning naming the size. Wireshark finds nothing malformed in either capture.
/// </summary>
public sealed class OversizedInviteTransportTests : IDisposable
{
    private const int OversizedOverUdpEventId = 1113;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-size-").FullName;

    [SkippableFact]
    public async Task OversizedInvite_ToAnSrsOnUdpAndTcp_GoesOverTcp()
    {
        var (sidecar, frames, logs) = await RecordOnceAsync(port => $"sip:srs@127.0.0.1:{port}");

        Assert.Equal("tcp", (string?)sidecar["transport"]);
        Assert.Contains(frames, f => f.Transport == "tcp" && f.Method == "INVITE" && f.Bytes > 1300);
        Assert.DoesNotContain(frames, f => f.Transport == "udp" && f.Method == "INVITE");
        Assert.DoesNotContain(logs.Lines, l => l.EventId == OversizedOverUdpEventId);
    }

    [SkippableFact]
    public async Task OversizedInvite_ToAUriThatNamesUdp_StaysOnUdp_WithAWarning()
    {
        var (sidecar, frames, logs) = await RecordOnceAsync(port => $"sip:srs@127.0.0.1:{port};transport=udp");

        Assert.Equal("udp", (string?)sidecar["transport"]);
        Assert.Contains(frames, f => f.Transport == "udp" && f.Method == "INVITE");
        Assert.DoesNotContain(frames, f => f.Transport == "tcp" && f.Method == "INVITE");
        var warning = Assert.Single(logs.Lines, l => l.EventId == OversizedOverUdpEventId);
        Assert.Contains("transport=udp", warning.Message, StringComparison.Ordinal);
        Assert.Contains("above the UDP limit of 1300", warning.Message, StringComparison.Ordinal);
    }

    private async Task<(JObject Sidecar, List<(string Transport, string Method, int Bytes)> Frames, ListLoggerFactory Logs)> RecordOnceAsync(Func<int, string> srsUri)
    {
        Siprec.Testing.Peers.Require("tshark");
        var port = FreePorts.Udp();
        using var capture = await LoopbackCapture.StartAsync($"port {port}", stopAfterPackets: 200, TimeSpan.FromSeconds(40), _work);
        var completed = new TaskCompletionSource<RecordedSessionSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var srs = new RecordingServer(new RecordingServerOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, port),
            AdditionalListenEndPoints = [new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, port))],
            OutputDirectory = Path.Combine(_work, "recordings"),
        }, TimeProvider.System, NullLoggerFactory.Instance);
        srs.SessionCompleted += s => completed.TrySetResult(s);
        await srs.StartAsync(CancellationToken.None);

        var logs = new ListLoggerFactory();
        await using (var client = new SiprecClient(new SrcOptions(), TimeProvider.System, logs))
        {
            await client.StartAsync(CancellationToken.None);
            await using var session = client.CreateSession(new RecordedCall("size-test@127.0.0.1",
                new NameAddress(null, SipUri.Parse("sip:caller@127.0.0.1"), []).WithTag("c1"), new NameAddress(null, SipUri.Parse("sip:bot@127.0.0.1"), []).WithTag("b1"), DateTimeOffset.UtcNow));
            var started = await session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start, SrsUris = [srsUri(port)] }, CancellationToken.None)
                .WaitAsync(Bound);
            Assert.True(started.Started, string.Join("; ", started.Outcomes));
            await session.StopAsync(CancellationToken.None).WaitAsync(Bound);
        }

        var summary = await completed.Task.WaitAsync(Bound);
        Assert.True(summary.Complete);
        var sidecar = JObject.Parse(await File.ReadAllTextAsync(summary.JsonPath));
        await srs.DisposeAsync();
        Assert.True(await capture.StopAsync(Bound), "tshark did not stop on SIGINT");
        return (sidecar, await SipFramesAsync(capture.File, port), logs);
    }

    /// <summary>Every SIP request tshark dissects on <paramref name="port"/> (UDP and TCP): transport, method, frame length; fails on a malformed one.</summary>
    private static async Task<List<(string Transport, string Method, int Bytes)>> SipFramesAsync(string pcap, int port)
    {
        var tshark = Siprec.Testing.Peers.Require("tshark");
        string[] decode = ["-d", $"udp.port=={port},sip", "-d", $"tcp.port=={port},sip"];
        using (var malformed = PeerProcess.Start(tshark, ["-r", pcap, .. decode, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number"]))
        {
            Assert.True(await malformed.WaitForExitAsync(Bound), "tshark did not finish");
            Assert.True(malformed.StandardOutput.Trim().Length == 0, $"malformed frames: {malformed.StandardOutput}");
        }
        using var reader = PeerProcess.Start(tshark, ["-r", pcap, .. decode, "-Y", "sip.Method", "-T", "fields", "-e", "ip.proto", "-e", "sip.Method", "-e", "frame.len"]);
        Assert.True(await reader.WaitForExitAsync(Bound), "tshark did not finish");
        return reader.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 3)
            .Select(f => (f[0] == "6" ? "tcp" : "udp", f[1], int.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToList();
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
