using System.Text.Json.Nodes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Gateway.Calls;
using Siprec.Gateway.RecordingControl;
using Siprec.Media.Forwarding;
using Siprec.Recording;

namespace Siprec.Gateway.Rest.Description;

/// <summary>
/// Example bodies for the OpenAPI document, written by the same code that writes the answers
/// (<see cref="SiprecResourceJson"/>, <see cref="CallResourceJson"/>, <see cref="RestDialectShape"/>) from sample values,
/// so an example cannot drift from what the gateway sends.
/// </summary>
internal static class RestExamples
{
    /// <summary>The account SID in the examples.</summary>
    public const string AccountSid = "AC00000000000000000000000000000001";

    /// <summary>The call SID in the examples.</summary>
    public const string CallSid = "CA00000000000000000000000000000001";

    /// <summary>The base URL Telnyx's absolute session <c>uri</c> uses in the examples.</summary>
    public const string BaseUrl = "https://gateway.example.com";

    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>An example of a body shape (the keys of <see cref="RestSchemas.Bodies"/>) in a dialect.</summary>
    public static JsonNode Body(RestDialect dialect, string shape) => shape switch
    {
        "SiprecSession" => Shaped(dialect, 200, SiprecResourceJson.Resource(Session(), dialect, AccountSid, Media())),
        "SiprecSessionList" => Shaped(dialect, 200, SiprecResourceJson.List([Session()], dialect, AccountSid, CallSid, _ => Media())),
        "Call" => Shaped(dialect, 200, CallResourceJson.Resource(Call(), dialect, AccountSid)),
        "CallPage" => Shaped(dialect, 200, CallResourceJson.Page(new CallPage(new CallListQuery(null, CallListQuery.DefaultPageSize, 0, null), [Call()], null), dialect, AccountSid)),
        _ => Error(dialect, 404, RecordingErrorTexts.ResourceNotFound),
    };

    /// <summary>An error body as the dialect writes it for <paramref name="status"/> and <paramref name="detail"/>.</summary>
    public static JsonNode Error(RestDialect dialect, int status, string detail) => Shaped(dialect, status, SiprecResourceJson.Error(detail));

    private static JsonNode Shaped(RestDialect dialect, int status, JObject body) =>
        JsonNode.Parse(RestDialectShape.Apply(dialect, status, body, BaseUrl).ToString(Formatting.None))!;

    private static RecordingResource Session() =>
        new("SR00000000000000000000000000000001", AccountSid, CallSid, "main", RestRecordingStatus.InProgress, RecordingTrack.BothTracks,
            Created, Created, Created, null, null, new RecordingRequestOptions("main", null, "POST"))
        {
            Recorders =
            [
                new RecorderResource("sip:srs1@recorder.example.com", RecorderResource.Active, null, null),
                new RecorderResource("sip:srs2@recorder.example.com", RecorderResource.Failed, 503, "no answer") { },
            ],
        };

    private static IReadOnlyList<RecorderStreamReport> Media() =>
    [
        new("sip:srs1@recorder.example.com", "1", 1500, new RecorderReport(1, 0.0, 0, 1500, 1.25, TimeSpan.FromMilliseconds(20), Created)),
        new("sip:srs1@recorder.example.com", "2", 1500, null),
    ];

    private static RestCall Call() =>
        RestCall.For(new EndedCall(CallSid, AccountSid, [], Created.AddMinutes(2))
        {
            From = "sip:alice@pbx.example.com",
            To = "sip:support@gateway.example.com",
            Started = Created,
        });
}
