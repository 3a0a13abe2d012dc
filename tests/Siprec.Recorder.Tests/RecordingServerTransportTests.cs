using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Media.Wav;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>
/// The SRS over SIP/TCP and SIP/TLS on 127.0.0.1 (RFC 3261 §18.3, §26.3.1): a SIPREC INVITE too large for UDP
/// (RFC 3261 §18.1.1), ACK, RTP and BYE over the stream; the WAV and JSON are checked as over UDP. The TLS SRC
/// trusts only the test CA, so the SRS's certificate is really validated.
/// </summary>
public sealed class RecordingServerTransportTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const int PacketSamples = 160;
    private const int Packets = 25;

    private readonly TempDirectory _output = new();
    private readonly TestCertificates _certificates = new();

    public void Dispose()
    {
        _certificates.Dispose();
        _output.Dispose();
    }

    [Theory]
    [InlineData(SipTransportProtocol.Tcp)]
    [InlineData(SipTransportProtocol.Tls)]
    public async Task SiprecInviteOverAStreamTransport_IsRecordedIntoTheWavAndJson(SipTransportProtocol transport)
    {
        var clock = new ManualTimeProvider();
        await using var server = await StartServerAsync(new SipListenEndPoint(transport, new IPEndPoint(IPAddress.Loopback, 0)), clock);
        var listener = server.ListenEndPoints.Single(l => l.Transport == transport);
        await using var src = StartSrc(transport);
        await using var rtp1 = RtpSocket.Bind(IPAddress.Loopback);
        await using var rtp2 = RtpSocket.Bind(IPAddress.Loopback);
        var completed = LoopbackSrs.NextCompletedSession(server);
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, rtp1.LocalEndPoint.Port, rtp2.LocalEndPoint.Port));
        var invite = src.CreateInvite(listener.EndPoint, contentType, body);
        Assert.True(SipSerializer.Serialize(invite).Length > 1300, "the INVITE should be one RFC 3261 §18.1.1 keeps off UDP");

        var ok = await src.SendAsync(invite, listener.EndPoint);

        Assert.Equal(200, ok.StatusCode);
        var contact = ok.Contact!.Uri;
        Assert.Equal(transport == SipTransportProtocol.Tls ? "sips" : "sip", contact.Scheme);
        Assert.Equal(transport == SipTransportProtocol.Tcp ? "tcp" : null, contact.Transport);
        Assert.Equal(listener.EndPoint.Port, contact.Port);
        var dialog = Dialog.CreateAsUac(invite, ok);
        await src.Layer.SendAckAsync(dialog.CreateAck(1), src.Target(listener.EndPoint));
        var session = Assert.Single(server.ActiveSessions);
        await Poll.UntilAsync(() => session.Timers.IsAcknowledged, Bound, "the ACK");
        var answer = SiprecBodies.Answer(ok);
        var destinations = answer.Media.Select(m => new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(m)!.Address), m.Port)).ToArray();

        var sent1 = SendRtp(rtp1, destinations[0], 0x1111);
        var sent2 = SendRtp(rtp2, destinations[1], 0x2222);
        await Poll.UntilAsync(() => session.Streams.All(s => s.Packets == Packets), Bound, "the RTP");
        clock.Advance(TimeSpan.FromSeconds(1));
        var bye = await src.SendAsync(dialog.CreateRequest(SipMethods.Bye), listener.EndPoint);
        var summary = await completed.WaitAsync(Bound);

        Assert.Equal(200, bye.StatusCode);
        Assert.True(summary.Complete);
        Assert.Equal([(long)Packets, Packets], summary.Streams.Select(s => s.Packets));
        var wav = WavFile.Read(summary.WavPath);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(Decode(sent1), wav.GetChannel(0).Take(Packets * PacketSamples));
        Assert.Equal(Decode(sent2), wav.GetChannel(1).Take(Packets * PacketSamples));
        var json = Sidecar.Read(summary.JsonPath);
        Assert.Equal(invite.CallId, (string?)json["sipCallId"]);
        Assert.Equal("rec-2026-001", (string?)json["recordingId"]);
        Assert.Equal(transport == SipTransportProtocol.Tcp ? "tcp" : "tls", (string?)json["transport"]);
        Assert.True((bool)json["complete"]!);
        Assert.Equal([(long)Packets, Packets], json["streams"]!.Select(s => (long)s["packets"]!));
    }

    [Fact]
    public async Task DisposeAsync_SendsItsByeBackOverTheTlsConnectionTheSessionCameIn()
    {
        // The SRC has no certificate, so only the connection it opened can carry the SRS's BYE.
        await using var server = await StartServerAsync(new SipListenEndPoint(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 0)), TimeProvider.System);
        var listener = server.ListenEndPoints.Single(l => l.Transport == SipTransportProtocol.Tls);
        await using var src = StartSrc(SipTransportProtocol.Tls);
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000, 4002));
        var invite = src.CreateInvite(listener.EndPoint, contentType, body);
        var ok = await src.SendAsync(invite, listener.EndPoint);
        Assert.Equal(200, ok.StatusCode);
        await src.Layer.SendAckAsync(Dialog.CreateAsUac(invite, ok).CreateAck(1), src.Target(listener.EndPoint));

        await server.DisposeAsync();

        var bye = Assert.Single(src.Received, r => r.Method == SipMethods.Bye);
        Assert.Equal(invite.CallId, bye.CallId);
        Assert.Equal("TLS", bye.Vias[0].Transport);
        Assert.False(Assert.Single(server.CompletedSessions).Complete);
    }

    [Fact]
    public async Task TcpListenerOnTheWildcardAddress_PutsTheAddressTheSrcUsedInTheContact()
    {
        await using var server = await StartServerAsync(new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Any, 0)), TimeProvider.System);
        var port = server.ListenEndPoints.Single(l => l.Transport == SipTransportProtocol.Tcp).EndPoint.Port;
        await using var src = StartSrc(SipTransportProtocol.Tcp);
        var target = new IPEndPoint(IPAddress.Loopback, port);
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));

        var ok = await src.SendAsync(src.CreateInvite(target, contentType, body), target);

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal($"sip:srs@127.0.0.1:{port};transport=tcp", ok.Contact!.Uri.ToString());
    }

    private async Task<RecordingServer> StartServerAsync(SipListenEndPoint additional, TimeProvider time)
    {
        var options = new RecordingServerOptions
        {
            AdditionalListenEndPoints = [additional],
            TlsCertificate = _certificates.Server,
            OutputDirectory = _output.Path,
        };
        var server = new RecordingServer(options, time, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    private SrcPeer StartSrc(SipTransportProtocol transport) =>
        transport == SipTransportProtocol.Tls ? SrcPeer.StartTls(_certificates.TrustStore) : SrcPeer.StartTcp();

    /// <summary>Sends <see cref="Packets"/> PCMU packets whose bytes never decode to 0, timestamps from 0.</summary>
    private static byte[][] SendRtp(RtpSocket socket, IPEndPoint destination, uint ssrc)
    {
        var payloads = new byte[Packets][];
        var packet = new byte[RtpHeader.Size + PacketSamples];
        for (var i = 0; i < Packets; i++)
        {
            payloads[i] = Enumerable.Range(0, PacketSamples).Select(k => (byte)(1 + (i * 31 + k * 7 + (int)ssrc) % 0x7E)).ToArray();
            new RtpHeader(G711.PcmuPayloadType, i == 0, (ushort)(100 + i), (uint)(i * PacketSamples), ssrc).Write(packet);
            payloads[i].CopyTo(packet.AsSpan(RtpHeader.Size));
            socket.Send(packet, destination);
        }
        return payloads;
    }

    private static short[] Decode(byte[][] payloads)
    {
        var samples = new short[payloads.Length * PacketSamples];
        for (var i = 0; i < payloads.Length; i++) G711.DecodeMuLaw(payloads[i], samples.AsSpan(i * PacketSamples, PacketSamples));
        return samples;
    }
}
