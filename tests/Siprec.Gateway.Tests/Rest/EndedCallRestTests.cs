using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>
/// The REST API (DESIGN §4.4) after the caller hangs up: the call's sessions stay readable, stopped, for the retention
/// time and count, then answer 404.
/// </summary>
public sealed class EndedCallRestTests
{
    private const string CallNotInProgress = "the call is no longer in progress: a completed call cannot be recorded, paused or resumed";

    [Fact]
    public async Task FetchAndList_AfterHangUp_Answer200_WithTheFinalStoppedResource()
    {
        await using var h = await RestHarness.StartAsync();
        var (_, created) = await h.CreateAsync(("Name", "rec"));
        var sid = (string)created["sid"]!;

        await h.HangUpAsync();
        var (bySid, resource) = await h.SendAsync(h.Path(sidOrName: sid), null);
        var (byName, named) = await h.SendAsync(h.Path(sidOrName: "rec", prefix: "/v2/texml"), null);
        var (listed, list) = await h.SendAsync(h.Path(), null);

        Assert.Equal(HttpStatusCode.OK, bySid);
        Assert.Equal(sid, (string?)resource["sid"]);
        Assert.Equal("stopped", (string?)resource["status"]);
        Assert.Equal("rec", (string?)resource["name"]);
        Assert.Equal(JTokenType.Null, resource["error_code"]!.Type);
        Assert.True(Date(resource["date_updated"]) >= Date(created["date_updated"]), $"{resource["date_updated"]} before {created["date_updated"]}");
        Assert.Equal(HttpStatusCode.OK, byName);
        Assert.Equal(sid, (string?)named["sid"]);
        Assert.StartsWith($"http://{h.Gateway.HttpEndPoint}/v2/texml/", (string?)named["uri"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed);
        var session = Assert.Single(list["siprec_sessions"]!);
        Assert.Equal(sid, (string?)session["sid"]);
        Assert.Equal("stopped", (string?)session["status"]);
    }

    [Fact]
    public async Task AFailedStart_KeepsItsErrorCode_AfterHangUp()
    {
        await using var h = await RestHarness.StartAsync();
        await h.SendAsync(h.Path(), [("ConnectorName", "busy")]);
        var (_, list) = await h.SendAsync(h.Path(), null);
        var sid = (string)Assert.Single(list["siprec_sessions"]!)["sid"]!;

        await h.HangUpAsync();
        var (status, resource) = await h.SendAsync(h.Path(sidOrName: sid), null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stopped", (string?)resource["status"]);
        Assert.Equal(503, (int?)resource["error_code"]);
    }

    [Fact]
    public async Task Stop_AfterHangUp_Answers200_WithTheResourceUnchanged()
    {
        await using var h = await RestHarness.StartAsync();
        var (path, before) = await RecordThenHangUpAsync(h);

        var (status, stopped) = await h.SendAsync(path, [("Status", "stopped")]);
        var (againStatus, again) = await h.SendAsync(path, [("Status", "stopped")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stopped", (string?)stopped["status"]);
        Assert.True(JToken.DeepEquals(before, stopped), $"{before} vs {stopped}");
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.True(JToken.DeepEquals(before, again));
    }

    [Fact]
    public async Task PauseResumeOrCreate_AfterHangUp_Answer400CallNotInProgress_AndChangeNothing()
    {
        await using var h = await RestHarness.StartAsync();
        var (path, before) = await RecordThenHangUpAsync(h);

        var (pauseStatus, pause) = await h.SendAsync(path, [("Status", "paused")]);
        var (resumeStatus, resume) = await h.SendAsync(path, [("Status", "in-progress")]);
        var (createStatus, create) = await h.CreateAsync(("Name", "late"));
        var (_, after) = await h.SendAsync(path, null);
        var (_, list) = await h.SendAsync(h.Path(), null);

        foreach (var (status, body) in new[] { (pauseStatus, pause), (resumeStatus, resume), (createStatus, create) })
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(CallNotInProgress, (string?)body["errors"]![0]!["detail"]);
            Assert.Equal(RestErrorCodes.InvalidCallState, (int?)body["errors"]![0]!["code"]);
        }
        Assert.Equal(CallNotInProgress, GatewayTexts.CallNotInProgress);
        Assert.True(JToken.DeepEquals(before, after));
        Assert.Single(list["siprec_sessions"]!);
        Assert.Equal(1, h.Srs.Invites);
    }

    [Fact]
    public async Task AnInvalidStatusOrAnUnknownSession_OnAnEndedCall_AnswerAsOnALiveOne()
    {
        await using var h = await RestHarness.StartAsync();
        var (_, created) = await h.CreateAsync();
        await h.HangUpAsync();

        var (badStatus, bad) = await h.SendAsync(h.Path(sidOrName: (string)created["sid"]!), [("Status", "absent")]);
        var (unknown, _) = await h.SendAsync(h.Path(sidOrName: "SR00000000000000000000000000000000"), [("Status", "stopped")]);

        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("absent", (string?)bad["errors"]![0]!["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task AnotherAccount_StillGets404_ForAnEndedCall()
    {
        await using var h = await RestHarness.StartAsync();
        var (_, created) = await h.CreateAsync();
        await h.HangUpAsync();

        var (ownersPath, body) = await h.SendAsync(h.Path(sidOrName: (string)created["sid"]!), null, RestHarness.AccountB, RestHarness.TokenB);
        var (ownPath, _) = await h.SendAsync(h.Path(RestHarness.AccountB), null, RestHarness.AccountB, RestHarness.TokenB);
        var (stop, _) = await h.SendAsync(h.Path(RestHarness.AccountB, (string)created["sid"]!), [("Status", "stopped")], RestHarness.AccountB, RestHarness.TokenB);

        Assert.Equal(HttpStatusCode.NotFound, ownersPath);
        Assert.Equal("Resource not found", (string?)body["errors"]![0]!["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, ownPath);
        Assert.Equal(HttpStatusCode.NotFound, stop);
    }

    [Fact]
    public async Task AfterTheRetentionTime_TheEndedCallAnswers404()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await RestHarness.StartAsync(time: clock, retention: new EndedCallRetentionOptions { Time = TimeSpan.FromMinutes(10) });
        var (_, created) = await h.CreateAsync();
        var path = h.Path(sidOrName: (string)created["sid"]!);
        await h.HangUpAsync();

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var (justBefore, _) = await h.SendAsync(path, null);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (after, body) = await h.SendAsync(path, null);
        var (listAfter, _) = await h.SendAsync(h.Path(), null);

        Assert.Equal(HttpStatusCode.OK, justBefore);
        Assert.Equal(HttpStatusCode.NotFound, after);
        Assert.Equal("Resource not found", (string?)body["errors"]![0]!["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, listAfter);
    }

    [Fact]
    public async Task BeyondTheCountBound_TheOldestEndedCallIsDroppedFirst()
    {
        await using var h = await RestHarness.StartAsync(retention: new EndedCallRetentionOptions { MaxCalls = 2 });
        var paths = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            if (i > 0)
            {
                await h.CallAgainAsync();
            }
            var (created, _) = await h.CreateAsync();
            Assert.Equal(HttpStatusCode.Created, created);
            paths.Add(h.Path());
            await h.HangUpAsync();
        }

        var statuses = new List<HttpStatusCode>();
        foreach (var path in paths)
        {
            statuses.Add((await h.SendAsync(path, null)).Status);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
    }

    // One session started, then the caller hangs up: the session's path and its resource as fetched after the call ended.
    private static async Task<(string Path, JObject Resource)> RecordThenHangUpAsync(RestHarness h)
    {
        var (_, created) = await h.CreateAsync();
        var path = h.Path(sidOrName: (string)created["sid"]!);
        await h.HangUpAsync();
        var (status, resource) = await h.SendAsync(path, null);
        Assert.Equal(HttpStatusCode.OK, status);
        return (path, resource);
    }

    private static DateTimeOffset Date(JToken? rfc2822) =>
        DateTimeOffset.Parse((string)rfc2822!, System.Globalization.CultureInfo.InvariantCulture);
}
