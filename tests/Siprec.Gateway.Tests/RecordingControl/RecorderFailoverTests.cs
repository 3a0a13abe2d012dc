using System.Net;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// A recorder failing over to a standby as the operator sees it (issue 11): the REST resource's <c>recorders</c> (the failed
/// one with its error, each standby tried with <c>replaces</c>, the one that accepted <c>active</c> with <c>gap_ms</c>), the
/// <c>siprec-error</c> callback and log lines in the CallSid and SiprecSid scopes. Connector "standby": <c>Srs</c>, then the
/// standbys <c>Busy</c> (refuses) and <c>Srs2</c>.
/// </summary>
public sealed class RecorderFailoverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private const int FailedOverEvent = 1231;

    private static async Task<JObject> PollResourceAsync(RestHarness h, string sid, Func<JObject, bool> until, string what, string prefix = "/2010-04-01")
    {
        JObject resource = new();
        try
        {
            await Poll.UntilAsync(() =>
            {
                (_, resource) = h.SendAsync(h.Path(sidOrName: sid, prefix: prefix), null).GetAwaiter().GetResult();
                return until(resource);
            }, Bound, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {resource}");
        }

        return resource;
    }

    [Fact]
    public async Task TheRecorderEndsMidCall_TheSessionStaysInProgress_AndRecordersShowTheFailedOneTheRefusedStandbyAndTheActiveOneWithItsGap()
    {
        var logs = new ListLoggerFactory();
        using var callbacks = new CallbackListener();
        // The fakes answer at once; 10 s instead of the harness's 2 s keeps a loaded CI machine out of the result: one CI run
        // never saw the standby's ACK, and a standby answering after the window is (rightly) given up on, which is not what
        // this test is about. Not reproduced in 8 runs of the project alone.
        await using var h = await RestHarness.StartAsync(loggerFactory: logs, configure: o => o with { NoAnswerTimeout = TimeSpan.FromSeconds(10) });
        var (status, created) = await h.SendAsync(h.Path(), [("ConnectorName", "standby"), ("StatusCallback", callbacks.Url)]);
        Assert.Equal(HttpStatusCode.Created, status);
        var sid = (string)created["sid"]!;
        await h.Srs.WaitForAckAsync();

        Assert.True((await h.Srs.SendByeAsync().WaitAsync(Bound)).IsSuccess);
        await h.Srs2.WaitForAckAsync();

        var resource = await PollResourceAsync(h, sid, r => (r["recorders"] as JArray)?.Count == 3 && (string?)r["recorders"]![2]!["status"] == "active",
            "the standby active");
        Assert.Equal("in-progress", (string?)resource["status"]);
        Assert.Equal(JTokenType.Null, resource["error_code"]!.Type);
        var (failed, refused, active) = (resource["recorders"]![0]!, resource["recorders"]![1]!, resource["recorders"]![2]!);
        Assert.Equal((h.Srs.Uri, "failed", 503), ((string?)failed["srs_uri"], (string?)failed["status"], (int?)failed["error_code"]));
        Assert.Contains("BYE from SRS", (string?)failed["error"]);
        Assert.Equal(JTokenType.Null, failed["replaces"]!.Type);
        Assert.Equal((h.Busy.Uri, "failed", 486, h.Srs.Uri), ((string?)refused["srs_uri"], (string?)refused["status"], (int?)refused["error_code"], (string?)refused["replaces"]));
        Assert.Equal((h.Srs2.Uri, "active", h.Srs.Uri), ((string?)active["srs_uri"], (string?)active["status"], (string?)active["replaces"]));
        Assert.Equal(JTokenType.Integer, active["gap_ms"]!.Type);
        Assert.InRange((long)active["gap_ms"]!, 0, 10_000);
        var (_, telnyx) = await h.SendAsync(h.Path(sidOrName: sid, prefix: "/v2/texml"), null);
        Assert.Equal((long)active["gap_ms"]!, (long)telnyx["recorders"]![2]!["gap_ms"]!);

        await callbacks.WaitForAsync(2, Bound);
        var error = Assert.Single(callbacks.Received, c => c.Fields["SiprecEvent"] == "siprec-error");
        Assert.Contains("failing over to a standby", error.Fields["SiprecError"]);
        Assert.Equal(RestErrorCodes.RecorderLost.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Fields["SiprecErrorCode"]);
        var line = Assert.Single(logs.Lines, l => l.EventId == FailedOverEvent);
        Assert.Equal((h.CallSid, sid), (line.CallSid, line.SiprecSid));
        Assert.Contains($"recorder {h.Srs.Uri} failed over to {h.Srs2.Uri}: {(long)active["gap_ms"]!} ms of audio not delivered", line.Message);

        Assert.Equal(HttpStatusCode.OK, (await h.SendAsync(h.Path(sidOrName: sid), [("Status", "stopped")])).Status);
        await h.Srs2.WaitForAsync(SipMethods.Bye);
        var (_, stopped) = await h.SendAsync(h.Path(sidOrName: sid), null);
        Assert.Equal(("stopped", "stopped"), ((string?)stopped["status"], (string?)stopped["recorders"]![2]!["status"]));
        Assert.Equal(JTokenType.Null, stopped["error_code"]!.Type);
    }
}
