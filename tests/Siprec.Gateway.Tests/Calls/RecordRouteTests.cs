using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Gateway.Tests.Support;
using Siprec.Media.Rtp;
using Siprec.Sip.Messages;

namespace Siprec.Gateway.Tests.Calls;

/// <summary>
/// The gateway behind a record-routing proxy (RFC 3261 §12.1.1, §16.12): its 2xx copies the Record-Route set, it
/// sends one 100 Trying, and its own BYE goes to the proxy with the route set in Route headers. The proxy here is a
/// bare UDP socket that sees what a real one (see tests/Siprec.EndToEnd.Tests/Interop) would be handed.
/// </summary>
public sealed class RecordRouteTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-gw-rr-").FullName;

    [Fact]
    public async Task InviteThroughARecordRoutingProxy_IsAnsweredOnce100_And200WithTheRecordRouteSet_AndOurByeFollowsTheRoute()
    {
        Tone.Write(Path.Combine(_dir, "prompt-beep.wav"), 0.2);
        await using var gateway = new RecordingGateway(new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            PromptDirectory = _dir,
        }, TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        using var proxy = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);
        var proxyPort = ((IPEndPoint)proxy.Client.LocalEndPoint!).Port;
        var recordRoute = $"<sip:127.0.0.1:{proxyPort};lr;ftag=f1>, <sip:proxy2.invalid;lr>";
        var offer = TestUac.Offer(rtp.LocalEndPoint.Port);
        var invite = $"INVITE sip:bot@127.0.0.1:{gateway.SipEndPoint.Port} SIP/2.0\r\n"
            + $"Via: SIP/2.0/UDP 127.0.0.1:{proxyPort};branch=z9hG4bKproxy1;rport\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller1\r\n"
            + $"Record-Route: {recordRoute}\r\n"
            + "Max-Forwards: 69\r\nFrom: <sip:caller@192.0.2.1>;tag=f1\r\nTo: <sip:bot@127.0.0.1>\r\n"
            + "Call-ID: rr-test-1\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@192.0.2.1:5060>\r\n"
            + $"Content-Type: application/sdp\r\nContent-Length: {Encoding.ASCII.GetByteCount(offer)}\r\n\r\n{offer}";
        await proxy.SendAsync(Encoding.ASCII.GetBytes(invite), gateway.SipEndPoint);

        var tryings = 0;
        SipResponse ok;
        while (true)
        {
            var response = Assert.IsType<SipResponse>(await ReceiveAsync(proxy));
            if (response.StatusCode == 100) { tryings++; continue; }
            ok = response;
            break;
        }
        Assert.Equal(1, tryings);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal([$"127.0.0.1:{proxyPort}", "proxy2.invalid"], ok.RecordRoutes.Select(r => r.Uri.Port is { } p ? $"{r.Uri.Host}:{p}" : r.Uri.Host));
        Assert.Contains("ftag=f1", ok.GetHeader("Record-Route"), StringComparison.Ordinal);

        // The ACK as the proxy relays it (Route consumed); then the gateway hangs up on dispose.
        var toTag = ok.To!.Tag;
        var ack = $"ACK sip:bot@127.0.0.1:{gateway.SipEndPoint.Port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{proxyPort};branch=z9hG4bKproxy2\r\n"
            + $"Max-Forwards: 69\r\nFrom: <sip:caller@192.0.2.1>;tag=f1\r\nTo: <sip:bot@127.0.0.1>;tag={toTag}\r\nCall-ID: rr-test-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
        await proxy.SendAsync(Encoding.ASCII.GetBytes(ack), gateway.SipEndPoint);
        var hangUp = gateway.DisposeAsync().AsTask();

        SipRequest bye;
        while (true)
        {
            if (await ReceiveAsync(proxy) is SipRequest { Method: SipMethods.Bye } request) { bye = request; break; }
        }
        Assert.Equal("sip:caller@192.0.2.1:5060", bye.RequestUri.ToString());
        Assert.Equal([$"<sip:127.0.0.1:{proxyPort};lr;ftag=f1>", "<sip:proxy2.invalid;lr>"], bye.GetHeaderValues("Route"));
        var byeOk = $"SIP/2.0 200 OK\r\n{string.Join("", bye.GetHeaderValues("Via").Select(v => "Via: " + v + "\r\n"))}"
            + $"From: {bye.GetHeader("From")}\r\nTo: {bye.GetHeader("To")}\r\nCall-ID: rr-test-1\r\nCSeq: {bye.GetHeader("CSeq")}\r\nContent-Length: 0\r\n\r\n";
        await proxy.SendAsync(Encoding.ASCII.GetBytes(byeOk), gateway.SipEndPoint);
        await hangUp.WaitAsync(Bound);
    }

    private static async Task<SipMessage> ReceiveAsync(UdpClient socket)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var datagram = await socket.ReceiveAsync(timeout.Token);
        Assert.True(SipParser.TryParse(datagram.Buffer, out var message, out var error), error.Detail);
        return message!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
