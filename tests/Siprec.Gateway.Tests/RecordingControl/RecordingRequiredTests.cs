using System.Globalization;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Gateway.RecordingControl;
using Siprec.Recording.Connectors;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Testing;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// The recording-required policy (DESIGN "No silent loss"): a call whose recording is required and cannot be had is ended
/// with a BYE carrying <c>Reason: SIP ;cause=503 ;text="recording required and unavailable"</c> (RFC 3326), a
/// <c>siprec-error</c> callback naming the policy with code 503, a log line and a metric; with the policy off the call stays up.
/// </summary>
public sealed class RecordingRequiredTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private const string ExpectedReason = "SIP ;cause=503 ;text=\"recording required and unavailable\"";
    private const int EndingEvent = 1216;

    private sealed class EndedMeter : IDisposable
    {
        private readonly MeterListener _listener = new();

        public EndedMeter(RestHarness h)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, h.Gateway.Metrics.Meter) && instrument.Name == "siprec.gateway.calls.ended_unrecordable")
                    l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "when") Ended.Enqueue((v, (string?)tag.Value));
                }
            });
            _listener.Start();
        }

        public ConcurrentQueue<(long Value, string? When)> Ended { get; } = new();

        public void Dispose() => _listener.Dispose();
    }

    private static Func<GatewayOptions, GatewayOptions> Policy(bool gateway, string connector = "busy", bool? onConnector = null) => options =>
    {
        options.Connectors.Connectors[connector].RecordingRequired = onConnector;
        return options with { RecordingRequired = gateway };
    };

    private static async Task<SipRequest> ByeAsync(RestHarness h) => await h.Caller.ByeReceived.Task.WaitAsync(Bound);

    private static async Task CallEndedAsync(RestHarness h, string callSid) =>
        await Poll.UntilAsync(() => !h.Gateway.ActiveCallSids.Contains(callSid), Bound, "the gateway tore the call down");

    [Fact]
    public async Task EverySrsRejecting_WithThePolicyOnTheRequest_EndsTheCallWithTheReason_AndSaysSoInTheAnswerCallbackLogAndMetric()
    {
        var logs = new ListLoggerFactory();
        using var callbacks = new CallbackListener();
        await using var h = await RestHarness.StartAsync(loggerFactory: logs);
        using var meter = new EndedMeter(h);
        var callSid = h.CallSid;

        var (status, body) = await h.SendAsync(h.Path(), [("ConnectorName", "busy"), ("RecordingRequired", "true"), ("StatusCallback", callbacks.Url)]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var detail = (string)body.SelectToken("errors[0].detail")!;
        Assert.Contains("Error starting SipRec call recording", detail, StringComparison.Ordinal);
        Assert.Contains(RecordingRequirement.CallEndingText, detail, StringComparison.Ordinal);

        var bye = await ByeAsync(h);
        Assert.Equal(ExpectedReason, bye.GetHeader("Reason"));
        await CallEndedAsync(h, callSid);

        await callbacks.WaitForAsync(1, Bound);
        var error = Assert.Single(callbacks.Received);
        Assert.Equal("siprec-error", error.Fields["SiprecEvent"]);
        Assert.Equal(RestErrorCodes.RecordingRequiredUnavailable.ToString(CultureInfo.InvariantCulture), error.Fields["SiprecErrorCode"]);
        Assert.Contains("recording required and unavailable (RecordingRequired)", error.Fields["SiprecError"], StringComparison.Ordinal);
        Assert.Contains(h.Busy.Uri, error.Fields["SiprecError"], StringComparison.Ordinal);

        Assert.Equal([(1L, "start")], meter.Ended);
        var line = Assert.Single(logs.Lines, l => l.EventId == EndingEvent);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal((callSid, error.Fields["SiprecSid"]), (line.CallSid, line.SiprecSid));
        Assert.Contains(callSid, line.Message, StringComparison.Ordinal);
        Assert.Contains(error.Fields["SiprecSid"], line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySrsRejecting_WithThePolicyOff_LeavesTheCallUp_WithThePlain503()
    {
        using var callbacks = new CallbackListener();
        await using var h = await RestHarness.StartAsync();
        using var meter = new EndedMeter(h);

        var (status, body) = await h.SendAsync(h.Path(), [("ConnectorName", "busy"), ("StatusCallback", callbacks.Url)]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.DoesNotContain("RecordingRequired", (string)body.SelectToken("errors[0].detail")!, StringComparison.Ordinal);
        // The policy acts before the answer is returned: nothing counted by now means the call is not being ended.
        Assert.Empty(meter.Ended);
        Assert.Contains(h.CallSid, h.Gateway.ActiveCallSids);
        var (retry, _) = await h.CreateAsync();
        Assert.Equal(HttpStatusCode.Created, retry);
        Assert.False(h.Caller.ByeReceived.Task.IsCompleted);
        await callbacks.WaitForAsync(1, Bound);
        Assert.Equal(RestErrorCodes.RecordersUnavailable.ToString(CultureInfo.InvariantCulture), callbacks.Received.First().Fields["SiprecErrorCode"]);
        Assert.DoesNotContain("RecordingRequired", callbacks.Received.First().Fields["SiprecError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSrsAnsweringWithinTheWindow_WithThePolicyOnTheConnector_Is503WithTheNoResponseText_AndEndsTheCall()
    {
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent, user: "silent");
        await using var h = await RestHarness.StartAsync(configure: options =>
        {
            options.Connectors.Connectors["silent"] = new SrsConnector { Uris = [silent.Uri], RecordingRequired = true };
            return options;
        });
        using var meter = new EndedMeter(h);

        var (status, body) = await h.SendAsync(h.Path(), [("ConnectorName", "silent")]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(RecordingErrorTexts.NoResponse + "; " + RecordingRequirement.CallEndingText, (string)body.SelectToken("errors[0].detail")!);
        Assert.Equal(ExpectedReason, (await ByeAsync(h)).GetHeader("Reason"));
        Assert.Equal([(1L, "start")], meter.Ended);
    }

    [Theory]
    [InlineData(false, null, null, false)]
    [InlineData(true, null, null, true)]
    [InlineData(true, false, null, false)]
    [InlineData(false, true, null, true)]
    [InlineData(false, true, false, false)]
    [InlineData(true, false, true, true)]
    public async Task TheRequestOverridesTheConnector_WhichOverridesTheGateway(bool gateway, bool? connector, bool? request, bool ended)
    {
        await using var h = await RestHarness.StartAsync(configure: Policy(gateway, onConnector: connector));
        using var meter = new EndedMeter(h);
        var form = new List<(string, string)> { ("ConnectorName", "busy") };
        if (request is { } r) form.Add(("RecordingRequired", r ? "true" : "false"));

        var (status, body) = await h.SendAsync(h.Path(), form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(ended, ((string)body.SelectToken("errors[0].detail")!).Contains(RecordingRequirement.CallEndingText, StringComparison.Ordinal));
        Assert.Equal(ended ? 1 : 0, meter.Ended.Count);
        if (ended)
        {
            Assert.Equal(ExpectedReason, (await ByeAsync(h)).GetHeader("Reason"));
        }
        else
        {
            Assert.Contains(h.CallSid, h.Gateway.ActiveCallSids);
        }
    }

    [Fact]
    public async Task TheTelnyxPath_TakesTheField_AndARefusedValueIsA400NamingIt()
    {
        await using var h = await RestHarness.StartAsync();
        var telnyx = h.Path(prefix: "/v2/texml");

        var (bad, badBody) = await h.SendAsync(telnyx, [("ConnectorName", "busy"), ("RecordingRequired", "sometimes")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("RecordingRequired", (string)badBody.SelectToken("errors[0].detail")!, StringComparison.Ordinal);
        Assert.Contains(h.CallSid, h.Gateway.ActiveCallSids);

        var (status, body) = await h.SendAsync(telnyx, [("ConnectorName", "busy"), ("RecordingRequired", "true")]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(RecordingRequirement.CallEndingText, (string)body.SelectToken("errors[0].detail")!, StringComparison.Ordinal);
        Assert.Equal(ExpectedReason, (await ByeAsync(h)).GetHeader("Reason"));
    }

    [Fact]
    public async Task TheLastRecorderHangingUpMidCall_WithThePolicyOn_EndsTheCallWithTheReason_AndTheSessionSays503()
    {
        using var callbacks = new CallbackListener();
        await using var h = await RestHarness.StartAsync();
        using var meter = new EndedMeter(h);
        var (status, created) = await h.CreateAsync(("RecordingRequired", "true"), ("StatusCallback", callbacks.Url));
        Assert.Equal(HttpStatusCode.Created, status);
        var sid = (string)created["sid"]!;
        await h.Srs.WaitForAckAsync();

        Assert.True((await h.Srs.SendByeAsync().WaitAsync(Bound)).IsSuccess);

        Assert.Equal(ExpectedReason, (await ByeAsync(h)).GetHeader("Reason"));
        await callbacks.WaitForAsync(2, Bound);
        var error = Assert.Single(callbacks.Received, c => c.Fields["SiprecEvent"] == "siprec-error");
        Assert.Equal(RestErrorCodes.RecordingRequiredUnavailable.ToString(CultureInfo.InvariantCulture), error.Fields["SiprecErrorCode"]);
        Assert.Equal(sid, error.Fields["SiprecSid"]);
        Assert.Contains("every recorder has ended", error.Fields["SiprecError"], StringComparison.Ordinal);
        Assert.Contains(RecordingRequirement.CallEndingText, error.Fields["SiprecError"], StringComparison.Ordinal);
        Assert.Equal([(1L, "mid-call")], meter.Ended);

        var (_, resource) = await h.SendAsync(h.Path(sidOrName: sid), null);
        Assert.Equal(("stopped", 503), ((string?)resource["status"], (int?)resource["error_code"]));
    }

    [Fact]
    public async Task OneOfTwoRecordersHangingUpMidCall_WithThePolicyOn_LeavesTheCallUp()
    {
        using var callbacks = new CallbackListener();
        await using var h = await RestHarness.StartAsync(configure: Policy(gateway: true, connector: "pair"));
        using var meter = new EndedMeter(h);
        var (status, _) = await h.SendAsync(h.Path(), [("ConnectorName", "pair"), ("StatusCallback", callbacks.Url)]);
        Assert.Equal(HttpStatusCode.Created, status);
        await h.Srs.WaitForAckAsync();
        await h.Srs2.WaitForAckAsync();

        Assert.True((await h.Srs2.SendByeAsync().WaitAsync(Bound)).IsSuccess);

        // This callback is sent only while the recording still has a recorder, i.e. it did not fail.
        await callbacks.WaitForAsync(2, Bound);
        var error = Assert.Single(callbacks.Received, c => c.Fields["SiprecEvent"] == "siprec-error");
        Assert.Contains("recording goes on with 1 recorder(s)", error.Fields["SiprecError"], StringComparison.Ordinal);
        Assert.Empty(meter.Ended);
        Assert.Contains(h.CallSid, h.Gateway.ActiveCallSids);
        Assert.False(h.Caller.ByeReceived.Task.IsCompleted);
        Assert.Equal(0, h.Srs.Requests.Count(r => r.Method == SipMethods.Bye));
    }

    [Fact]
    public async Task AnInfoStart_WithXRecordingRequired_IsAnswered503_WithTheDesignTextAndAWarningThatTheCallIsEnded_ThenBye()
    {
        await using var h = await RestHarness.StartAsync();
        using var meter = new EndedMeter(h);

        var outcome = await h.Caller.SendInDialogAsync(SipMethods.Info,
            [("X-Reason", "startCallRecording"), ("X-Srs-Url", h.Busy.Uri), ("X-Recording-Required", "true")]).WaitAsync(Bound);

        Assert.Equal(503, outcome.Response!.StatusCode);
        var warnings = outcome.Response.GetHeaderValues(WarningHeader.Name).Select(WarningHeader.ReadText).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("Error starting SipRec call recording: ", warnings[0], StringComparison.Ordinal);
        Assert.Equal(RecordingRequirement.CallEndingText, warnings[1]);
        Assert.Equal(ExpectedReason, (await ByeAsync(h)).GetHeader("Reason"));
        Assert.Equal([(1L, "start")], meter.Ended);
    }

    [Fact]
    public async Task AnInfoStart_UsesTheGatewayDefault_UnlessItsHeaderSaysOtherwise()
    {
        await using var h = await RestHarness.StartAsync(configure: Policy(gateway: true));
        using var meter = new EndedMeter(h);
        (string, string)[] start = [("X-Reason", "startCallRecording"), ("X-Srs-Url", h.Busy.Uri)];

        var lenient = await h.Caller.SendInDialogAsync(SipMethods.Info, [.. start, ("X-Recording-Required", "false")]).WaitAsync(Bound);
        Assert.Equal(503, lenient.Response!.StatusCode);
        Assert.Single(lenient.Response.GetHeaderValues(WarningHeader.Name));
        Assert.Empty(meter.Ended);

        var strict = await h.Caller.SendInDialogAsync(SipMethods.Info, start).WaitAsync(Bound);
        Assert.Equal(503, strict.Response!.StatusCode);
        Assert.Equal(2, strict.Response.GetHeaderValues(WarningHeader.Name).Count);
        Assert.Equal(ExpectedReason, (await ByeAsync(h)).GetHeader("Reason"));
    }

    [Fact]
    public async Task AnInfoStart_WithABadXRecordingRequired_Is400NamingTheHeader_AndTheCallStaysUp()
    {
        await using var h = await RestHarness.StartAsync();

        var outcome = await h.Caller.SendInDialogAsync(SipMethods.Info,
            [("X-Reason", "startCallRecording"), ("X-Srs-Url", h.Srs.Uri), ("X-Recording-Required", "maybe")]).WaitAsync(Bound);

        Assert.Equal(400, outcome.Response!.StatusCode);
        Assert.Contains("X-Recording-Required", WarningHeader.ReadText(outcome.Response.GetHeader(WarningHeader.Name)), StringComparison.Ordinal);
        Assert.Contains(h.CallSid, h.Gateway.ActiveCallSids);
    }
}
