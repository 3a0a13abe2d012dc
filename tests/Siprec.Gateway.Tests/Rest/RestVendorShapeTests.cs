using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>
/// Issue 13: each vendor's documented field types (Telnyx: string <c>error_code</c>, absolute <c>uri</c> without
/// <c>.json</c>; Twilio: number and relative <c>uri</c> with <c>.json</c>) and the error codes of the REST error bodies.
/// </summary>
public sealed class RestVendorShapeTests : IAsyncLifetime
{
    private const string Telnyx = "/v2/texml";
    private RestHarness _h = null!;

    public async Task InitializeAsync() => _h = await RestHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task OnTheTelnyxPath_ErrorCodeIsAString_NullStaysNull_AndTheUriIsAbsoluteWithoutJson()
    {
        await _h.SendAsync(_h.Path(), [("ConnectorName", "busy")]);
        await _h.CreateAsync();

        var (_, telnyx) = await _h.SendAsync(_h.Path(prefix: Telnyx), null);
        var (_, twilio) = await _h.SendAsync(_h.Path(), null);

        var failed = telnyx["siprec_sessions"]![0]!;
        var running = telnyx["siprec_sessions"]![1]!;
        Assert.Equal((JTokenType.String, "503"), (failed["error_code"]!.Type, (string?)failed["error_code"]));
        Assert.Equal(JTokenType.Null, running["error_code"]!.Type);
        Assert.Equal($"http://{_h.Gateway.HttpEndPoint}{Telnyx}/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}/Siprec/{running["sid"]}", (string?)running["uri"]);
        Assert.Equal((JTokenType.Integer, 503), (twilio["siprec_sessions"]![0]!["error_code"]!.Type, (int?)twilio["siprec_sessions"]![0]!["error_code"]));
        Assert.Equal($"/2010-04-01/Accounts/{RestHarness.AccountA}/Calls/{_h.CallSid}/Siprec/{running["sid"]}.json", (string?)twilio["siprec_sessions"]![1]!["uri"]);
    }

    [Fact]
    public async Task ATelnyxFetch_UsesTheConfiguredPublicUrl_WhenThereIsOne()
    {
        await using var h = await RestHarness.StartAsync(configure: o => o with { RestPublicUrl = new Uri("https://api.example.com:8443/") });
        var (_, created) = await h.CreateAsync();

        var (_, fetched) = await h.SendAsync(h.Path(sidOrName: (string)created["sid"]!, prefix: Telnyx), null);

        Assert.Equal($"https://api.example.com:8443{Telnyx}/Accounts/{RestHarness.AccountA}/Calls/{h.CallSid}/Siprec/{created["sid"]}", (string?)fetched["uri"]);
    }

    [Fact]
    public async Task ErrorBodies_OnTheTwilioPath_CarryTwiliosFields_AndOnTheTelnyxPath_AStringCode()
    {
        var (twilioStatus, twilio) = await _h.SendAsync(_h.Path(sidOrName: "nope"), null);
        var (telnyxStatus, telnyx) = await _h.SendAsync(_h.Path(sidOrName: "nope", prefix: Telnyx), null);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (twilioStatus, telnyxStatus));
        Assert.Equal(20404, (int?)twilio["code"]);
        Assert.Equal("Resource not found", (string?)twilio["message"]);
        Assert.Equal("https://www.twilio.com/docs/errors/20404", (string?)twilio["more_info"]);
        Assert.Equal(404, (int?)twilio["status"]);
        var error = telnyx["errors"]![0]!;
        Assert.Equal((JTokenType.String, "20404"), (error["code"]!.Type, (string?)error["code"]));
        Assert.Equal("Not Found", (string?)error["title"]);
        Assert.Equal("Resource not found", (string?)error["detail"]);
    }

    [Fact]
    public async Task EachRefusal_CarriesItsCode()
    {
        var (_, created) = await _h.CreateAsync();
        await _h.SendAsync(_h.Path(sidOrName: (string)created["sid"]!), [("Status", "stopped")]);

        Assert.Equal((HttpStatusCode.Unauthorized, RestErrorCodes.AuthenticationRequired), Code(await _h.SendAsync(_h.Path(), null, anonymous: true)));
        Assert.Equal((HttpStatusCode.BadRequest, RestErrorCodes.InvalidConnectorName), Code(await _h.SendAsync(_h.Path(), [("ConnectorName", "nope")])));
        Assert.Equal((HttpStatusCode.BadRequest, RestErrorCodes.InvalidTrack), Code(await _h.CreateAsync(("Track", "left_track"))));
        Assert.Equal((HttpStatusCode.BadRequest, RestErrorCodes.InvalidParameter), Code(await _h.CreateAsync(("StatusCallbackMethod", "PUT"))));
        Assert.Equal((HttpStatusCode.BadRequest, RestErrorCodes.InvalidRecordingState),
            Code(await _h.SendAsync(_h.Path(sidOrName: (string)created["sid"]!), [("Status", "paused")])));
        Assert.Equal((HttpStatusCode.BadRequest, RestErrorCodes.InvalidParameter),
            Code(await _h.SendAsync(_h.Path(sidOrName: (string)created["sid"]!), [("Status", "sleeping")])));
        var (busy, body) = await _h.SendAsync(_h.Path(), [("ConnectorName", "busy")]);
        Assert.Equal(((HttpStatusCode)503, RestErrorCodes.RecordersUnavailable), Code((busy, body)));
        Assert.StartsWith("Error starting SipRec call recording: ", (string?)body["message"], StringComparison.Ordinal);
        Assert.Null((string?)body["more_info"]);
    }

    private static (HttpStatusCode, int?) Code((HttpStatusCode Status, JObject Body) answer) =>
        (answer.Status, (int?)answer.Body["errors"]![0]!["code"]);
}
