using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Media.Wav;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Tests;

public sealed class RecordingServerTests : IAsyncLifetime
{
    private readonly TempDirectory _output = new();
    private RecordingServer _server = null!;
    private SrcPeer _src = null!;
    private RecorderMeter _meter = null!;

    public async Task InitializeAsync()
    {
        _server = new RecordingServer(new RecordingServerOptions { OutputDirectory = _output.Path }, TimeProvider.System, NullLoggerFactory.Instance);
        _meter = new RecorderMeter(_server);
        await _server.StartAsync(CancellationToken.None);
        _src = SrcPeer.Start();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _src.DisposeAsync();
        _meter.Dispose();
        _output.Dispose();
    }

    [Fact]
    public async Task Options_IsAnswered200WithTheMethodsAndBodiesTheSrsAccepts()
    {
        var response = await _src.SendAsync(_src.CreateRequest(SipMethods.Options, _server.SipEndPoint), _server.SipEndPoint);

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("INVITE", response.GetHeader("Allow"));
        Assert.Contains("application/rs-metadata+xml", response.GetHeader("Accept"));
    }

    [Fact]
    public async Task OptionsInADialogTheSrsDoesNotHold_IsAnswered481_SoAPingSeesARestartedSrs()
    {
        var options = _src.CreateRequest(SipMethods.Options, _server.SipEndPoint);
        options = options.SetHeader("To", options.GetHeader("To") + ";tag=gone");

        var response = await _src.SendAsync(options, _server.SipEndPoint);

        Assert.Equal(481, response.StatusCode);
    }

    [Fact]
    public async Task PlainSdpInvite_IsRejected488WithAWarningSayingMetadataIsMissing()
    {
        var sdp = SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000);

        var response = await _src.SendAsync(_src.CreateInvite(_server.SipEndPoint, "application/sdp", sdp.ToBytes()), _server.SipEndPoint);

        Assert.Equal(488, response.StatusCode);
        Assert.StartsWith("399 ", response.GetHeader("Warning"));
        Assert.Contains("without recording metadata", response.GetHeader("Warning"));
        Assert.Equal(0, _server.ActiveSessionCount);
        Assert.Equal(["bad-offer"], _meter.RefusedReasons);
    }

    [Fact]
    public async Task InviteWithAnUnknownRequiredExtension_IsRejected420NamingIt()
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));
        var invite = _src.CreateInvite(_server.SipEndPoint, contentType, body).SetHeader("Require", "siprec, foo");

        var response = await _src.SendAsync(invite, _server.SipEndPoint);

        Assert.Equal(420, response.StatusCode);
        Assert.Equal("foo", response.GetHeader("Unsupported"));
    }

    [Fact]
    public async Task InviteRequiringReplaces_IsRejected420ByTheSrs_AndCountedAsARefusedSession()
    {
        // "replaces" passes the transaction layer's checks (its policy knows it) and is refused by the SRS itself.
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));
        var invite = _src.CreateInvite(_server.SipEndPoint, contentType, body).SetHeader("Require", "siprec, replaces");

        var response = await _src.SendAsync(invite, _server.SipEndPoint);

        Assert.Equal(420, response.StatusCode);
        Assert.Equal("replaces", response.GetHeader("Unsupported"));
        Assert.Equal(["unsupported-extension"], _meter.RefusedReasons);
    }

    [Fact]
    public async Task SiprecInviteWithoutRequireOrSrcFeatureTag_IsStillRecorded()
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000, 4002));

        var response = await _src.SendAsync(_src.CreateInvite(_server.SipEndPoint, contentType, body, siprecHeaders: false), _server.SipEndPoint);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, _server.ActiveSessionCount);
        Assert.NotNull(response.To?.Tag);
        Assert.Contains("+sip.srs", response.GetHeader("Contact"));
        Assert.Equal(1, _meter.Started);
        Assert.Empty(_meter.RefusedReasons);
    }

    [Fact]
    public async Task ByeForAnUnknownDialog_IsAnswered481()
    {
        var bye = _src.CreateRequest(SipMethods.Bye, _server.SipEndPoint).SetHeader("To", $"<sip:srs@{_server.SipEndPoint}>;tag=nope");

        var response = await _src.SendAsync(bye, _server.SipEndPoint);

        Assert.Equal(481, response.StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(VendorOffer.All), MemberType = typeof(VendorOffer))]
    public async Task VendorOfferOverLoopback_IsAnsweredOrClearlyRejected(string folder, string name, bool crlf)
    {
        var vendor = VendorOffer.Load(folder, name, crlf);

        var response = await _src.SendAsync(_src.CreateInvite(_server.SipEndPoint, vendor.ContentType, vendor.Body), _server.SipEndPoint);

        if (VendorOffer.Rejected.Contains(name))
        {
            Assert.Equal(488, response.StatusCode);
            Assert.Contains("rs-metadata", response.GetHeader("Warning"));
            Assert.Equal(0, _server.ActiveSessionCount);
            return;
        }
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/sdp", response.ContentType);
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(response.Body.Span), out var answer, out var error), error);
        Assert.Equal(vendor.MediaLines, answer!.Media.Count);
        Assert.Equal(vendor.Labels, answer.Media.Select(m => m.Label).OfType<string>());
        Assert.Contains(answer.Media, m => m.Port != 0);

        await _server.DisposeAsync();
        var summary = Assert.Single(_server.CompletedSessions);
        Assert.False(summary.Complete);
        var json = Sidecar.Read(summary.JsonPath);
        if (name == "cisco-siprec-offer-unescaped-ampersand.txt")
            Assert.Contains("not well-formed", (string?)json["metadataError"]);
        else
            Assert.Equal(JTokenType.Null, json["metadataError"]!.Type);
        Assert.Equal(answer.Media.Count(m => m.Port != 0), ((JArray)json["streams"]!).Count);
        Assert.True(File.Exists(summary.WavPath));
    }

    [Fact]
    public async Task InviteArrivingDuringShutdown_IsAnswered503()
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));
        var first = await _src.SendAsync(_src.CreateInvite(_server.SipEndPoint, contentType, body), _server.SipEndPoint);
        Assert.Equal(200, first.StatusCode);
        var srs = _server.SipEndPoint;
        SipResponse? duringShutdown = null;
        // The SRS's shutdown BYE is held until a new INVITE has been answered, so the INVITE surely arrives mid-shutdown.
        _src.BeforeAnswer = async request =>
        {
            if (request.Method != SipMethods.Bye) return;
            var (ct, b) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4010));
            duringShutdown = await _src.SendAsync(_src.CreateInvite(srs, ct, b), srs);
        };

        await _server.DisposeAsync();

        Assert.NotNull(duringShutdown);
        Assert.Equal(503, duringShutdown!.StatusCode);
        Assert.Contains("shutting down", duringShutdown.GetHeader("Warning"));
        Assert.Contains(_src.Received, r => r.Method == SipMethods.Bye && r.CallId == first.CallId);
    }

    [Fact]
    public async Task ServerOnTheWildcardAddress_AdvertisesAConcreteMediaAddress()
    {
        var options = new RecordingServerOptions { SipEndPoint = new IPEndPoint(IPAddress.Any, 0), MediaAddress = IPAddress.Any, OutputDirectory = _output.Path };
        await using var server = new RecordingServer(options, TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        var target = new IPEndPoint(IPAddress.Loopback, server.SipEndPoint.Port);
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));

        var response = await _src.SendAsync(_src.CreateInvite(target, contentType, body), target);

        Assert.Equal(200, response.StatusCode);
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(response.Body.Span), out var answer, out _));
        Assert.Equal("127.0.0.1", answer!.ConnectionFor(answer.Media[0])!.Address);
    }

    [Fact]
    public async Task DisposeAsync_KeepsEveryReceivedSampleOfAnOpenSession()
    {
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, rtp.LocalEndPoint.Port));
        var ok = await _src.SendAsync(_src.CreateInvite(_server.SipEndPoint, contentType, body), _server.SipEndPoint);
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(ok.Body.Span), out var answer, out _));
        var destination = new IPEndPoint(IPAddress.Loopback, answer!.Media[0].Port);
        var payload = Enumerable.Range(0, 160).Select(i => (byte)(0x10 + i % 0x60)).ToArray();
        var packet = new byte[RtpHeader.Size + payload.Length];
        payload.CopyTo(packet, RtpHeader.Size);
        for (var i = 0; i < 5; i++)
        {
            new RtpHeader(G711.PcmuPayloadType, false, (ushort)i, (uint)(i * 160), 0x5555).Write(packet);
            rtp.Send(packet, destination);
        }
        var session = Assert.Single(_server.ActiveSessions);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            while (session.Streams[0].Packets < 5) await Task.Delay(10, limit.Token);

        await _server.DisposeAsync();

        var summary = Assert.Single(_server.CompletedSessions);
        var channel = WavFile.Read(summary.WavPath).GetChannel(0);
        var start = Array.FindIndex(channel, s => s != 0);
        Assert.True(start >= 0, "no audio in the WAV");
        var expected = Enumerable.Repeat(payload.Select(G711.MuLawToLinear), 5).SelectMany(x => x).ToArray();
        Assert.Equal(expected, channel.Skip(start).Take(expected.Length));
        Assert.Equal(5, Assert.Single(summary.Streams).Packets);
    }

    [Fact]
    public async Task StartAsync_RejectsInvalidOptions()
    {
        await using var server = new RecordingServer(new RecordingServerOptions { OutputDirectory = " " }, TimeProvider.System, NullLoggerFactory.Instance);

        await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync(CancellationToken.None));
    }
}
