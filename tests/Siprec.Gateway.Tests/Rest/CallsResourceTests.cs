using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>
/// Issue 13: the Calls resource, so a REST user finds a call's SID: fetch and list (Status filter, paging with PageSize,
/// Page and PageToken) on the Twilio and Telnyx paths, with the Siprec resources' auth (another account's call is 404).
/// </summary>
public sealed class CallsResourceTests : IAsyncLifetime
{
    private const string Twilio = "/2010-04-01";
    private const string Telnyx = "/v2/texml";
    private RestHarness _h = null!;

    public async Task InitializeAsync() => _h = await RestHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void The200ToTheInvite_CarriesXCallSid_SoTheFeatureServerThatPlacedTheCallKnowsItsSid()
    {
        Assert.Matches("^CA[0-9a-f]{32}$", _h.CallSid);
        Assert.Equal(_h.CallSid, _h.Answer.GetHeader("X-Call-Sid"));
    }

    [Fact]
    public async Task Fetch_OnTheTwilioPath_ShowsWhatTheGatewayKnows_AndNullsTheRest()
    {
        var (status, call) = await _h.SendAsync($"{Twilio}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}.json", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((_h.CallSid, RestHarness.AccountA), ((string?)call["sid"], (string?)call["account_sid"]));
        Assert.Equal(("in-progress", "inbound"), ((string?)call["status"], (string?)call["direction"]));
        Assert.StartsWith("sip:", (string?)call["from"], StringComparison.Ordinal);
        Assert.StartsWith("sip:", (string?)call["to"], StringComparison.Ordinal);
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", (string?)call["start_time"]);
        Assert.Equal((string?)call["start_time"], (string?)call["date_created"]);
        Assert.Equal(JTokenType.Null, call["end_time"]!.Type);
        Assert.Equal(JTokenType.Null, call["duration"]!.Type);
        Assert.Equal(JTokenType.Null, call["price"]!.Type);
        Assert.Equal(JTokenType.Null, call["parent_call_sid"]!.Type);
        Assert.Equal("2010-04-01", (string?)call["api_version"]);
        Assert.Equal($"{Twilio}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}.json", (string?)call["uri"]);
        Assert.Equal($"{Twilio}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}/Siprec.json", (string?)call["subresource_uris"]!["siprec"]);
    }

    [Fact]
    public async Task Fetch_OnTheTelnyxPath_WithAndWithoutJson_HasTelnyxsFieldSet()
    {
        var (status, call) = await _h.SendAsync($"{Telnyx}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}", null);
        var (jsonStatus, json) = await _h.SendAsync($"{Telnyx}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}.json", null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, jsonStatus));
        Assert.Equal(_h.CallSid, (string?)call["sid"]);
        Assert.Equal($"{Telnyx}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}.json", (string?)call["uri"]);
        Assert.Null(call["subresource_uris"]);
        Assert.Equal(JTokenType.Null, call["from_formatted"]!.Type);
        Assert.True(JToken.DeepEquals(call, json));
    }

    [Fact]
    public async Task AnotherAccountsCall_Answers404_OnEitherPath_AndItsListIsEmpty()
    {
        var (ownPath, _) = await _h.SendAsync($"{Twilio}/Accounts/{RestHarness.AccountB}/Calls/{_h.CallSid}.json", null, RestHarness.AccountB, RestHarness.TokenB);
        var (ownersPath, body) = await _h.SendAsync($"{Twilio}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}.json", null, RestHarness.AccountB, RestHarness.TokenB);
        var (listStatus, list) = await _h.SendAsync($"{Twilio}/Accounts/{RestHarness.AccountB}/Calls.json", null, RestHarness.AccountB, RestHarness.TokenB);
        var (anonymous, _) = await _h.SendAsync($"{Twilio}/Accounts/{RestHarness.AccountA}/Calls.json", null, anonymous: true);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (ownPath, ownersPath));
        Assert.Equal(RestErrorCodes.NotFound, (int?)body["code"]);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Empty(list["calls"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    [Fact]
    public async Task List_PagesNewestFirst_ByPageSizeAndPageToken_AndFiltersByStatus()
    {
        var first = _h.CallSid;
        await _h.HangUpAsync();
        await _h.CallAgainAsync();
        var second = _h.CallSid;
        await _h.CallAgainAsync();
        var third = _h.CallSid;
        var path = $"{Twilio}/Accounts/{RestHarness.AccountA}/Calls.json";

        var (_, page0) = await _h.SendAsync(path + "?PageSize=2", null);
        var next = (string?)page0["next_page_uri"];
        Assert.NotNull(next);
        var (_, page1) = await _h.SendAsync(next!, null);
        var (_, completed) = await _h.SendAsync(path + "?Status=completed", null);
        var (_, live) = await _h.SendAsync(path + "?Status=in-progress", null);

        Assert.Equal([third, second], page0["calls"]!.Select(c => (string)c["sid"]!));
        Assert.Equal((0, 1, 0, 2), ((int)page0["start"]!, (int)page0["end"]!, (int)page0["page"]!, (int)page0["page_size"]!));
        Assert.Equal(JTokenType.Null, page0["previous_page_uri"]!.Type);
        Assert.Equal(path + "?PageSize=2&Page=0", (string?)page0["first_page_uri"]);
        Assert.Contains("Page=1&PageToken=PT", next, StringComparison.Ordinal);
        Assert.Equal([first], page1["calls"]!.Select(c => (string)c["sid"]!));
        Assert.Equal((2, 2, 1), ((int)page1["start"]!, (int)page1["end"]!, (int)page1["page"]!));
        Assert.Equal(JTokenType.Null, page1["next_page_uri"]!.Type);
        Assert.Equal(path + "?PageSize=2&Page=0", (string?)page1["previous_page_uri"]);
        var ended = Assert.Single(completed["calls"]!);
        Assert.Equal((first, "completed"), ((string?)ended["sid"], (string?)ended["status"]));
        Assert.Equal(JTokenType.String, ended["duration"]!.Type);
        Assert.NotNull((string?)ended["end_time"]);
        Assert.Equal([third, second], live["calls"]!.Select(c => (string)c["sid"]!));
    }

    [Fact]
    public async Task List_OnTheTelnyxPath_AnswersWithAndWithoutJson_WithoutPreviousPageUri()
    {
        var (status, list) = await _h.SendAsync($"{Telnyx}/Accounts/{RestHarness.AccountA}/Calls?PageSize=1&Page=0", null);
        var (jsonStatus, _) = await _h.SendAsync($"{Telnyx}/Accounts/{RestHarness.AccountA}/Calls.json", null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, jsonStatus));
        Assert.Equal(_h.CallSid, (string?)Assert.Single(list["calls"]!)["sid"]);
        Assert.Null(list["previous_page_uri"]);
        Assert.Equal($"{Telnyx}/Accounts/{RestHarness.AccountA}/Calls.json?PageSize=1&Page=0", (string?)list["uri"]);
    }

    [Theory]
    [InlineData("Status=ongoing", "Status")]
    [InlineData("PageSize=0", "PageSize")]
    [InlineData("PageSize=1001", "PageSize")]
    [InlineData("Page=-1", "Page")]
    [InlineData("PageToken=forged", "PageToken")]
    [InlineData("To=%2B15551234567", "To")]
    public async Task List_RefusesABadOrUnsupportedQuery_Naming(string query, string named)
    {
        var (status, body) = await _h.SendAsync($"{Twilio}/Accounts/{RestHarness.AccountA}/Calls.json?{query}", null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"invalid {named} ", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(RestErrorCodes.InvalidParameter, (int?)body["code"]);
    }
}
