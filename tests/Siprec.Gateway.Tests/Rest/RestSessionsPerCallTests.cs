using System.Net;
using System.Text;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>
/// Several SIPREC sessions per call (issue 13, DESIGN §4.4): REST sessions each have their own SID, name, connector and
/// status, share a stream budget of 4 (both tracks use 2), and are addressed one by one; the node/INFO path keeps its one
/// recording per call beside them. Real gateway and SRC against fake SRSs on 127.0.0.1.
/// </summary>
public sealed class RestSessionsPerCallTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TwoBothTrackSessions_RecordAtOnce_AThirdIsRefusedByTheStreamBudget_AndStoppingOneByNameLeavesTheOther()
    {
        await using var h = await RestHarness.StartAsync();

        var (firstStatus, first) = await h.SendAsync(h.Path(), [("ConnectorName", "ok"), ("Name", "agent")]);
        var (secondStatus, second) = await h.SendAsync(h.Path(), [("ConnectorName", "second"), ("Name", "quality")]);
        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.Created, secondStatus);
        Assert.NotEqual((string?)first["sid"], (string?)second["sid"]);
        await h.Srs.WaitForAckAsync();
        await h.Srs2.WaitForAckAsync();

        var (thirdStatus, third) = await h.SendAsync(h.Path(), [("ConnectorName", "ok"), ("Name", "extra"), ("Track", "inbound_track")]);
        Assert.Equal(HttpStatusCode.BadRequest, thirdStatus);
        Assert.Contains("too many SIPREC streams on this call: 4 of 4 in use, this session needs 1", third.ToString(), StringComparison.Ordinal);
        Assert.Equal(Siprec.Gateway.RecordingControl.RestErrorCodes.StreamLimitExceeded, (int?)third["code"]);
        Assert.Equal(1, h.Srs.Invites); // the refused start sent nothing

        var (_, list) = await h.SendAsync(h.Path(), null);
        Assert.Equal(["in-progress", "in-progress"], list["siprec_sessions"]!.Select(s => (string?)s["status"]));

        var (stopStatus, stopped) = await h.SendAsync(h.Path(sidOrName: "agent"), [("Status", "stopped")]);
        Assert.Equal(HttpStatusCode.OK, stopStatus);
        Assert.Equal("stopped", (string?)stopped["status"]);
        Assert.Equal((string?)first["sid"], (string?)stopped["sid"]);
        await h.Srs.WaitForAsync(SipMethods.Bye);
        Assert.DoesNotContain(h.Srs2.Requests, r => r.Method == SipMethods.Bye);
        var (_, other) = await h.SendAsync(h.Path(sidOrName: (string)second["sid"]!), null);
        Assert.Equal("in-progress", (string?)other["status"]);

        // Two streams are free again: two single-track sessions fit, a third does not.
        Assert.Equal(HttpStatusCode.Created, (await h.SendAsync(h.Path(), [("ConnectorName", "ok"), ("Track", "inbound_track")])).Status);
        Assert.Equal(HttpStatusCode.Created, (await h.SendAsync(h.Path(), [("ConnectorName", "ok"), ("Track", "outbound_track")])).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.SendAsync(h.Path(), [("ConnectorName", "ok"), ("Track", "inbound_track")])).Status);

        // Stopping a stopped session again changes nothing (Twilio); pausing it is the §4.2 invalid pause.
        Assert.Equal(HttpStatusCode.OK, (await h.SendAsync(h.Path(sidOrName: "agent"), [("Status", "stopped")])).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.SendAsync(h.Path(sidOrName: "agent"), [("Status", "paused")])).Status);
    }

    [Fact]
    public async Task PausingOneSession_SendsItsRecorderInactive_AndLeavesTheOtherRecording()
    {
        await using var h = await RestHarness.StartAsync();
        var (_, first) = await h.SendAsync(h.Path(), [("ConnectorName", "ok")]);
        var (_, second) = await h.SendAsync(h.Path(), [("ConnectorName", "second")]);
        await h.Srs.WaitForAckAsync();
        await h.Srs2.WaitForAckAsync();

        var (status, paused) = await h.SendAsync(h.Path(sidOrName: (string)second["sid"]!), [("Status", "paused")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("paused", (string?)paused["status"]);
        var reinvite = await h.Srs2.WaitForAsync(SipMethods.Invite, 2);
        Assert.Contains("a=inactive", Encoding.UTF8.GetString(reinvite.Body.Span), StringComparison.Ordinal);
        Assert.Equal(1, h.Srs.Requests.Count(r => r.Method == SipMethods.Invite));
        var (_, untouched) = await h.SendAsync(h.Path(sidOrName: (string)first["sid"]!), null);
        Assert.Equal("in-progress", (string?)untouched["status"]);
    }

    [Fact]
    public async Task TheNodeInfoPath_KeepsItsOneRecording_BesideARestSession_AndItsStopLeavesTheRestSession()
    {
        await using var h = await RestHarness.StartAsync();
        var (_, rest) = await h.SendAsync(h.Path(), [("ConnectorName", "ok")]);
        await h.Srs.WaitForAckAsync();

        var started = await h.Caller.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", h.Srs2.Uri)]).WaitAsync(Bound);
        Assert.Equal(200, started.Response?.StatusCode);
        var again = await h.Caller.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", h.Srs2.Uri)]).WaitAsync(Bound);
        Assert.Equal(400, again.Response?.StatusCode);
        Assert.Contains("discarding duplicate startCallRecording request", again.Response?.GetHeader("Warning"), StringComparison.Ordinal);

        var stopped = await h.Caller.SendInDialogAsync("INFO", [("X-Reason", "stopCallRecording")]).WaitAsync(Bound);
        Assert.Equal(200, stopped.Response?.StatusCode);
        await h.Srs2.WaitForAsync(SipMethods.Bye);
        Assert.DoesNotContain(h.Srs.Requests, r => r.Method == SipMethods.Bye);
        var (_, session) = await h.SendAsync(h.Path(sidOrName: (string)rest["sid"]!), null);
        Assert.Equal("in-progress", (string?)session["status"]);
    }
}
