using System.Net;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Calls;

/// <summary>
/// The gateway's RTP port range (<c>media.portRange</c>, <c>--rtp-ports</c>, issue 14) with a tiny range on 127.0.0.1: the
/// call's and the forwarders' sockets bind inside it, and when it is full the operator sees why: a REST start answered
/// 503 with the range in its error (the embedded engine's media-engine-failed), a failed session resource, a log line
/// with the CallSid, and a new call's INVITE answered 503 with Retry-After.
/// </summary>
public sealed class RtpPortRangeTests
{
    [Fact]
    public async Task AFullRange_FailsTheRestStartNamingTheRange_AndANewCallGets503()
    {
        // Three pairs: the call's RTP takes one, a both-track session two; nothing is left for a second session.
        var range = FreePortRange.Find(3);
        var logs = new ListLoggerFactory();
        await using var h = await RestHarness.StartAsync(loggerFactory: logs, configure: o => o with { RtpPorts = range });
        Assert.True(SdpSession.TryParse(h.Answer.Body.Span, out var callSdp, out _));
        Assert.True(range.Contains(callSdp!.Media[0].Port), $"call RTP port {callSdp.Media[0].Port} is outside {range}");

        var (firstStatus, _) = await h.CreateAsync();
        Assert.Equal(HttpStatusCode.Created, firstStatus);
        await h.Srs.WaitForAckAsync();

        var (status, body) = await h.SendAsync(h.Path(), [("ConnectorName", "second")]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"no free RTP port pair in the RTP port range {range}", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(0, h.Srs2.Invites); // nothing was offered
        Assert.Contains(logs.Lines, l => l.CallSid == h.CallSid && l.Message.Contains($"RTP port range {range}", StringComparison.Ordinal));
        var (_, list) = await h.SendAsync(h.Path(), null);
        Assert.Contains(list["siprec_sessions"]!, s => (string?)s["status"] == "stopped" && (string?)s["error_code"] is not null);

        await using var uac = new TestUac();
        var outcome = await uac.InviteAsync(h.Gateway.SipEndPoint, TestUac.Offer(4000), accountSid: RestHarness.AccountA).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(503, outcome.Response?.StatusCode);
        Assert.Equal("5", outcome.Response!.GetHeader("Retry-After"));
        Assert.Contains(logs.Lines, l => l.EventId == 1125 && l.Message.Contains($"RTP port range {range}", StringComparison.Ordinal));
    }
}
