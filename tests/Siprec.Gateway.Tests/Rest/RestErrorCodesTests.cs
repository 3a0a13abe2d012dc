using Siprec.Control;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>Issue 13: the one mapping from a refusal to a Twilio-style error code, as REST bodies and callbacks use it.</summary>
public sealed class RestErrorCodesTests
{
    [Fact]
    public void EveryCode_IsListedOnce_WithATitle_AndTheStreamLimitCodeIsStable()
    {
        Assert.Equal(RestErrorCodes.All.Count, RestErrorCodes.All.Select(c => c.Code).Distinct().Count());
        Assert.All(RestErrorCodes.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Title)));
        Assert.Equal(99103, RestErrorCodes.StreamLimitExceeded);
        Assert.Contains(RestErrorCodes.All, c => c.Code == RestErrorCodes.StreamLimitExceeded);
    }

    [Fact]
    public void TwilioCodes_LinkTwilioSPage_OursLinkNothing()
    {
        Assert.Equal("https://www.twilio.com/docs/errors/21220", RestErrorCodes.TwilioInfoUrl(RestErrorCodes.InvalidCallState));
        Assert.Null(RestErrorCodes.TwilioInfoUrl(RestErrorCodes.StreamLimitExceeded));
    }

    public static TheoryData<int, string, int> Answers => new()
    {
        { 401, "Authentication required", RestErrorCodes.AuthenticationRequired },
        { 404, RecordingErrorTexts.ResourceNotFound, RestErrorCodes.NotFound },
        { 400, GatewayTexts.CallNotInProgress, RestErrorCodes.InvalidCallState },
        { 500, GatewayTexts.CallEnded, RestErrorCodes.InvalidCallState },
        { 400, RecordingErrorTexts.InvalidPause, RestErrorCodes.InvalidRecordingState },
        { 400, RecordingErrorTexts.InvalidResume, RestErrorCodes.InvalidRecordingState },
        { 400, RecordingErrorTexts.StopWhileNotRecording, RestErrorCodes.InvalidRecordingState },
        { 400, RecordingErrorTexts.DuplicateStart, RestErrorCodes.InvalidRecordingState },
        { 400, RecordingErrorTexts.NoResponse, RestErrorCodes.RecordersNoAnswer },
        { 503, RecordingErrorTexts.StartFailed([("sip:a@127.0.0.1", "486 Busy Here")]), RestErrorCodes.RecordersUnavailable },
        { 503, RecordingErrorTexts.NoResponse + "; " + RecordingRequirement.CallEndingText, RestErrorCodes.RecordingRequiredUnavailable },
        { 504, "pause: the recorders did not all answer", RestErrorCodes.OperationPending },
        { 500, GatewayTexts.OperationFailed("resume", []), RestErrorCodes.OperationFailed },
        { 500, "internal error", RestErrorCodes.InternalError },
        { 413, "too large", RestErrorCodes.RequestBodyRefused },
        { 415, "not a form", RestErrorCodes.RequestBodyRefused },
        { 400, RecordingErrorTexts.InvalidField("Name", "x", "already names another SIPREC session of this call"), RestErrorCodes.InvalidParameter },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void ForAnswer_GivesEachDesignTextItsCode(int status, string text, int code) => Assert.Equal(code, RestErrorCodes.ForAnswer(status, text));

    [Fact]
    public void AControllersOwnCode_WinsOverTheDerivedOne()
    {
        var refused = new RecordingCommandResult(400, "stream budget exceeded") { RestErrorCode = RestErrorCodes.StreamLimitExceeded };

        Assert.Equal(RestErrorCodes.StreamLimitExceeded, RestErrorCodes.For(refused));
        Assert.Equal(RestErrorCodes.InvalidParameter, RestErrorCodes.For(refused with { RestErrorCode = null }));
    }

    [Fact]
    public void FormErrors_GetTwilioSTrackCode_OrOurs()
    {
        Assert.Equal(RestErrorCodes.InvalidTrack, RestErrorCodes.For(new RecordingControlError(400, "invalid Track") { Field = "Track" }));
        Assert.Equal(RestErrorCodes.InvalidParameter, RestErrorCodes.For(new RecordingControlError(400, "invalid Name") { Field = "Name" }));
        Assert.Equal(RestErrorCodes.RequestBodyRefused, RestErrorCodes.For(new RecordingControlError(415, "not a form")));
    }
}
