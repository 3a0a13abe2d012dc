using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>The SRS's session limits (total, per source address, m-lines per offer) over loopback UDP (issue 12).</summary>
public sealed class RecordingServerLimitsTests : IAsyncLifetime
{
    private static readonly IPAddress OtherSource = IPAddress.Parse("127.0.0.2");
    private readonly TempDirectory _output = new();
    private readonly List<SrcPeer> _peers = [];
    private RecordingServer _server = null!;
    private RecorderMeter _meter = null!;

    private IPEndPoint Srs => _server.SipEndPoint;

    public async Task InitializeAsync()
    {
        _server = new RecordingServer(new RecordingServerOptions
        {
            OutputDirectory = _output.Path,
            MaxConcurrentSessions = 3,
            MaxSessionsPerSource = 2,
            MaxStreamsPerSession = 4,
        }, new ManualTimeProvider(), NullLoggerFactory.Instance);
        _meter = new RecorderMeter(_server);
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _meter.Dispose();
        foreach (var peer in _peers) await peer.DisposeAsync();
        _output.Dispose();
    }

    private SrcPeer Peer(IPAddress? from = null)
    {
        var peer = from is null ? SrcPeer.Start() : SrcPeer.StartFrom(from);
        _peers.Add(peer);
        return peer;
    }

    private async Task<(SipRequest Invite, SipResponse Response)> InviteAsync(SrcPeer peer, int streams = 2)
    {
        var ports = Enumerable.Range(0, streams).Select(i => 4000 + (2 * i)).ToArray();
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, ports));
        var invite = peer.CreateInvite(Srs, contentType, body);
        var response = await peer.SendAsync(invite, Srs);
        if (response.StatusCode == 200) await peer.Layer.SendAckAsync(Dialog.CreateAsUac(invite, response).CreateAck(1), Srs);
        return (invite, response);
    }

    [Fact]
    public async Task ASourceAtItsLimit_Gets503WithRetryAfter_WhileAnotherSourceIsStillAccepted()
    {
        var flooder = Peer();
        Assert.Equal(200, (await InviteAsync(flooder)).Response.StatusCode);
        Assert.Equal(200, (await InviteAsync(flooder)).Response.StatusCode);

        var (_, refused) = await InviteAsync(flooder);
        var (_, other) = await InviteAsync(Peer(OtherSource));

        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("5", refused.GetHeader("Retry-After"));
        Assert.Contains("limit of 2 sessions from 127.0.0.1", refused.GetHeader("Warning"), StringComparison.Ordinal);
        Assert.Equal(200, other.StatusCode);
        Assert.Equal(3, _server.ActiveSessionCount);
        Assert.Equal(["max-sessions-per-source"], _meter.RefusedReasons);
        Assert.Equal(3, _meter.Started);
    }

    [Fact]
    public async Task TheTotalLimit_Gets503WithRetryAfter_AndASessionEndedByByeFreesItsPlace()
    {
        var first = Peer();
        var (invite, ok) = await InviteAsync(first);
        await InviteAsync(first);
        await InviteAsync(Peer(OtherSource));

        var (_, refused) = await InviteAsync(Peer(OtherSource));
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("5", refused.GetHeader("Retry-After"));
        Assert.Contains("limit of 3 sessions", refused.GetHeader("Warning"), StringComparison.Ordinal);
        Assert.Equal(["max-sessions"], _meter.RefusedReasons);

        var dialog = Dialog.CreateAsUac(invite, ok);
        Assert.Equal(200, (await first.SendAsync(dialog.CreateRequest(SipMethods.Bye), Srs)).StatusCode);
        await Poll.UntilAsync(() => _server.CompletedSessions.Count == 1, TimeSpan.FromSeconds(10), "the BYE to finalize the session");
        Assert.Equal(200, (await InviteAsync(Peer(OtherSource))).Response.StatusCode);
    }

    [Fact]
    public async Task AnOfferWithMoreMLinesThanSupported_Gets488WithAWarning_AndNothingIsRecorded()
    {
        var (_, response) = await InviteAsync(Peer(), streams: 5);

        Assert.Equal(488, response.StatusCode);
        Assert.Matches("""^399 127\.0\.0\.1 "offer has 5 m-lines; this recording server takes at most 4"$""", response.GetHeader("Warning"));
        Assert.Equal(0, _server.ActiveSessionCount);
        Assert.Empty(Directory.GetFiles(_output.Path));
        Assert.Equal(["too-many-streams"], _meter.RefusedReasons);
        Assert.Equal(0, _meter.Started);
    }
}
