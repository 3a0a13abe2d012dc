using System.Net;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>The REST API of DESIGN §4.4 over real HTTP on 127.0.0.1, against a live call and fake SRSs.</summary>
public sealed class RestApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private RestHarness _h = null!;

    public async Task InitializeAsync() => _h = await RestHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Create_OnTheTwilioPath_Answers201_WithTheResourceShape_AndTheSrsGetsTheInvite()
    {
        var (status, body) = await _h.CreateAsync(("Name", "rec-1"), ("Track", "both_tracks"), ("Parameter1.Name", "X-Case"), ("Parameter1.Value", "4711"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(RestHarness.AccountA, (string?)body["account_sid"]);
        Assert.Equal(_h.CallSid, (string?)body["call_sid"]);
        Assert.Matches("^SR[0-9a-f]{32}$", (string?)body["sid"]);
        Assert.Equal("rec-1", (string?)body["name"]);
        Assert.Equal("in-progress", (string?)body["status"]);
        Assert.Equal("both_tracks", (string?)body["track"]);
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", (string?)body["start_time"]);
        Assert.NotNull((string?)body["date_created"]);
        Assert.NotNull((string?)body["date_updated"]);
        Assert.Equal($"/2010-04-01/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}/Siprec/{body["sid"]}.json", (string?)body["uri"]);
        Assert.Equal(Newtonsoft.Json.Linq.JTokenType.Null, body["error_code"]!.Type);
        await _h.Srs.InviteSeen.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task Create_WithAConnectorName_SendsTheConnectorsHeadersAndSessionTimer_OnTheInvite()
    {
        var (status, _) = await _h.SendAsync(_h.Path(), [("ConnectorName", "tenant")]);

        Assert.Equal(HttpStatusCode.Created, status);
        var invite = await _h.Srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.Equal("acme-42", invite.GetHeader("X-Tenant"));
        Assert.Null(invite.GetHeader("Session-Expires"));
    }

    [Fact]
    public async Task Create_WithTelnyxSessionTimeoutSecs_OverridesTheConnectorsSessionTimer()
    {
        var (status, _) = await _h.SendAsync(_h.Path(prefix: "/v2/texml"), [("ConnectorName", "tenant"), ("SessionTimeoutSecs", "120")]);

        Assert.Equal(HttpStatusCode.OK, status);
        var invite = await _h.Srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.Equal("acme-42", invite.GetHeader("X-Tenant"));
        Assert.StartsWith("120", invite.GetHeader("Session-Expires"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_OnTheTelnyxPath_Answers200_WithTelnyxsAbsoluteUriWithoutJson()
    {
        var (status, body) = await _h.SendAsync(_h.Path(prefix: "/v2/texml"), [("ConnectorName", "ok"), ("IncludeMetadataCustomHeaders", "true")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"http://{_h.Gateway.HttpEndPoint}/v2/texml/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}/Siprec/{body["sid"]}", (string?)body["uri"]);
    }

    [Fact]
    public async Task StopBySid_AnswersStopped_AndTheSrsGetsBye()
    {
        var (_, created) = await _h.CreateAsync();

        var (status, body) = await _h.SendAsync(_h.Path(sidOrName: (string)created["sid"]!), [("Status", "stopped")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stopped", (string?)body["status"]);
        await _h.Srs.ByeSeen.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task StopByName_StopsTheNamedSession()
    {
        await _h.CreateAsync(("Name", "by-name"));

        var (status, body) = await _h.SendAsync(_h.Path(sidOrName: "by-name"), [("Status", "stopped")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stopped", (string?)body["status"]);
        Assert.Equal("by-name", (string?)body["name"]);
        await _h.Srs.ByeSeen.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task PauseAndResume_ChangeTheStatus_AndMisuseAnswersTheDesignTexts()
    {
        var (_, created) = await _h.CreateAsync();
        var path = _h.Path(sidOrName: (string)created["sid"]!);

        var (pauseStatus, paused) = await _h.SendAsync(path, [("Status", "paused")]);
        var (againStatus, again) = await _h.SendAsync(path, [("Status", "paused")]);
        var (resumeStatus, resumed) = await _h.SendAsync(path, [("Status", "in-progress")]);
        var (resumeAgainStatus, resumeAgain) = await _h.SendAsync(path, [("Status", "in-progress")]);

        Assert.Equal(HttpStatusCode.OK, pauseStatus);
        Assert.Equal("paused", (string?)paused["status"]);
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal("discarding invalid pauseCallRecording request", (string?)again["errors"]![0]!["detail"]);
        Assert.Equal(HttpStatusCode.OK, resumeStatus);
        Assert.Equal("in-progress", (string?)resumed["status"]);
        Assert.Equal(HttpStatusCode.BadRequest, resumeAgainStatus);
        Assert.Equal("discarding invalid resumeCallRecording request", (string?)resumeAgain["errors"]![0]!["detail"]);
        Assert.Equal(2, _h.Srs.ReInvites.Count);
    }

    [Fact]
    public async Task List_ShowsEverySessionOfTheCall_OldestFirst()
    {
        var (_, first) = await _h.CreateAsync(("Name", "one"));
        await _h.SendAsync(_h.Path(sidOrName: "one"), [("Status", "stopped")]);
        var (_, second) = await _h.CreateAsync(("Name", "two"));

        var (status, body) = await _h.SendAsync(_h.Path(), null);

        Assert.Equal(HttpStatusCode.OK, status);
        var sessions = body["siprec_sessions"]!.ToArray();
        Assert.Equal([(string)first["sid"]!, (string)second["sid"]!], sessions.Select(s => (string)s["sid"]!));
        Assert.Equal(["stopped", "in-progress"], sessions.Select(s => (string)s["status"]!));
    }

    [Fact]
    public async Task AStartThatEveryRecorderRefuses_Answers503_AndIsListedAsStoppedWithItsErrorCode()
    {
        var (status, body) = await _h.SendAsync(_h.Path(), [("ConnectorName", "busy")]);
        var (_, list) = await _h.SendAsync(_h.Path(), null);

        Assert.Equal((HttpStatusCode)503, status);
        Assert.StartsWith("Error starting SipRec call recording: ", (string?)body["errors"]![0]!["detail"]);
        var session = Assert.Single(list["siprec_sessions"]!);
        Assert.Equal("stopped", (string?)session["status"]);
        Assert.Equal(503, (int?)session["error_code"]);
    }

    [Fact]
    public async Task AnUnknownSid_Answers404_WithTheErrorsShape()
    {
        var (status, body) = await _h.SendAsync(_h.Path(sidOrName: "SR00000000000000000000000000000000"), [("Status", "stopped")]);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("""{"code":20404,"message":"Resource not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404,"errors":[{"code":20404,"detail":"Resource not found"}]}""",
            body.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task NoCredentials_OrAWrongToken_Answer401_AndStartNothing()
    {
        var (anonymous, _) = await _h.SendAsync(_h.Path(), [("ConnectorName", "ok")], anonymous: true);
        var (wrong, _) = await _h.SendAsync(_h.Path(), [("ConnectorName", "ok")], token: "not-the-token-at-all");
        var (badKey, _) = await _h.SendAsync(_h.Path(), [("ConnectorName", "ok")], bearer: "not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, badKey);
        Assert.Equal(0, _h.Srs.Invites);
    }

    [Fact]
    public async Task ABearerKey_ActsForItsAccount()
    {
        var (status, _) = await _h.SendAsync(_h.Path(), [("ConnectorName", "ok")], bearer: RestHarness.KeyA);

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task AnotherAccountsCall_Answers404_OnItsOwnPathAndOnTheOwnersPath()
    {
        var (ownPath, ownBody) = await _h.SendAsync(_h.Path(RestHarness.AccountB), [("ConnectorName", "ok")], RestHarness.AccountB, RestHarness.TokenB);
        var (ownersPath, _) = await _h.SendAsync(_h.Path(RestHarness.AccountA), null, RestHarness.AccountB, RestHarness.TokenB);

        Assert.Equal(HttpStatusCode.NotFound, ownPath);
        Assert.Equal("Resource not found", (string?)ownBody["errors"]![0]!["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, ownersPath);
        Assert.Equal(0, _h.Srs.Invites);
    }

    [Fact]
    public async Task ABadFormField_Answers400_NamingTheField()
    {
        var (status, body) = await _h.CreateAsync(("Track", "left_track"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Track", (string?)body["errors"]![0]!["detail"], StringComparison.Ordinal);
        Assert.Contains("left_track", (string?)body["errors"]![0]!["detail"], StringComparison.Ordinal);
    }
}
