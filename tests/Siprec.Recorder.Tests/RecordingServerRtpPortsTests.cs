using System.Net;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>
/// <c>siprec srs --rtp-ports</c> (issue 14): the sessions' RTP/RTCP sockets bind inside the operator's range, and a full
/// range answers a new INVITE 503 with Retry-After and a Warning naming the range, logged; real UDP on 127.0.0.1.
/// </summary>
public sealed class RecordingServerRtpPortsTests
{
    [Fact]
    public async Task SessionsBindInsideTheRange_AndWhenItIsFull_AnInviteGets503NamingTheRange_LoggedAsARejection()
    {
        var range = Siprec.Testing.FreePortRange.Find(2);
        var logs = new ListLoggerFactory();
        using var output = new TempDirectory();
        // Disposed after the server, so the server's BYE for the open session is answered (its clock never times out).
        await using var peer = SrcPeer.Start();
        await using var server = new RecordingServer(new RecordingServerOptions { OutputDirectory = output.Path, RtpPorts = range },
            new ManualTimeProvider(), logs);
        using var meter = new RecorderMeter(server);
        await server.StartAsync(CancellationToken.None);

        var (invite, ok) = await InviteAsync(peer, server.SipEndPoint);
        Assert.True(200 == ok.StatusCode, string.Join("\n", logs.Lines.Select(l => l.Message)));
        Assert.True(SdpSession.TryParse(ok.Body.Span, out var answer, out var sdpError), sdpError);
        Assert.All(answer!.Media, m => Assert.True(range.Contains(m.Port), $"m-line port {m.Port} is outside {range}"));

        var (_, refused) = await InviteAsync(peer, server.SipEndPoint);
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("5", refused.GetHeader("Retry-After"));
        Assert.Contains($"RTP port range {range}", refused.GetHeader("Warning"), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.EventId == 7002 && l.Message.Contains($"RTP port range {range}", StringComparison.Ordinal));
        Assert.Equal(1, server.ActiveSessionCount);
        Assert.Single(Directory.GetFiles(output.Path, "*.wav"));
        Assert.Equal(["rtp-ports"], meter.RefusedReasons);
        Assert.Equal(1, meter.Started);

        // The first session's BYE frees its ports: the next INVITE is recorded again.
        Assert.Equal(200, (await peer.SendAsync(Dialog.CreateAsUac(invite, ok).CreateRequest(SipMethods.Bye), server.SipEndPoint)).StatusCode);
        await Poll.UntilAsync(() => server.CompletedSessions.Count == 1, TimeSpan.FromSeconds(10), "the BYE to finalize the session");
        Assert.Equal(200, (await InviteAsync(peer, server.SipEndPoint)).Response.StatusCode);
    }

    [Fact]
    public async Task MaxSessions_RefusesTheNextInviteWith503_AndTheOperatorSeesItInTheLogAndTheRefusedCounter()
    {
        var logs = new ListLoggerFactory();
        using var output = new TempDirectory();
        await using var peer = SrcPeer.Start();
        await using var server = new RecordingServer(new RecordingServerOptions { OutputDirectory = output.Path, MaxConcurrentSessions = 1 },
            new ManualTimeProvider(), logs);
        using var meter = new RecorderMeter(server);
        await server.StartAsync(CancellationToken.None);

        Assert.Equal(200, (await InviteAsync(peer, server.SipEndPoint)).Response.StatusCode);
        var (refusedInvite, refused) = await InviteAsync(peer, server.SipEndPoint);

        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("5", refused.GetHeader("Retry-After"));
        Assert.Contains(logs.Lines, l => l.EventId == 7002 && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && l.Message.Contains(refusedInvite.CallId!, StringComparison.Ordinal) && l.Message.Contains("503", StringComparison.Ordinal));
        Assert.Equal(["max-sessions"], meter.RefusedReasons);
        Assert.Equal(1, meter.Started);
    }

    private static async Task<(SipRequest Invite, SipResponse Response)> InviteAsync(SrcPeer peer, IPEndPoint srs)
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, [4000, 4002]));
        var invite = peer.CreateInvite(srs, contentType, body);
        var response = await peer.SendAsync(invite, srs).WaitAsync(TimeSpan.FromSeconds(10));
        if (response.StatusCode == 200) await peer.Layer.SendAckAsync(Dialog.CreateAsUac(invite, response).CreateAck(1), srs);
        return (invite, response);
    }
}
