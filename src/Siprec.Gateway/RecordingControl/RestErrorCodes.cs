using Siprec.Control;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The numeric error codes of the REST API's error bodies and of the <c>siprec-error</c> callback's <c>SiprecErrorCode</c>
/// (DESIGN §4.4, issue 13): Twilio's own code where Twilio documents one for the situation, else a stable code of ours
/// (99100–99199, a block in which we found no Twilio-documented code), listed in the README's error-code table. The SIP
/// outcome of the INFO path (400/503, DESIGN §4.2) is not a code here: it stays the HTTP status of a REST answer and goes
/// into the callback's text (<see cref="CallbackText"/>). INFO answers keep their SIP codes.
/// </summary>
internal static class RestErrorCodes
{
    /// <summary>Twilio 20003 "Authenticate": no valid Basic or Bearer credentials (HTTP 401).</summary>
    public const int AuthenticationRequired = 20003;

    /// <summary>Twilio 20404 "Not Found": unknown call or session, or another account's (HTTP 404).</summary>
    public const int NotFound = 20404;

    /// <summary>Twilio 20500 "Internal Server Error": an unexpected failure inside the gateway (HTTP 500).</summary>
    public const int InternalError = 20500;

    /// <summary>
    /// Twilio 21220 "Invalid call state": a create, pause or resume on a call that is not in progress (ended, or ending
    /// while the request ran).
    /// </summary>
    public const int InvalidCallState = 21220;

    /// <summary>Twilio 31940 "Stream - Invalid connectorName": <c>ConnectorName</c> names no configured connector.</summary>
    public const int InvalidConnectorName = 31940;

    /// <summary>Twilio 31941 "Stream - Invalid Track configuration": <c>Track</c> is not one of the three track values.</summary>
    public const int InvalidTrack = 31941;

    /// <summary>Ours: a form field is missing or not accepted (the text names it), e.g. no <c>ConnectorName</c> and no default.</summary>
    public const int InvalidParameter = 99100;

    /// <summary>Ours: the body is not a form, or is beyond the form limits (HTTP 413/415).</summary>
    public const int RequestBodyRefused = 99101;

    /// <summary>
    /// Ours: the request does not fit the session's state (stop while not recording, pause while not recording or paused,
    /// resume while not paused, a second start where only one may run); the §4.2 text says which.
    /// </summary>
    public const int InvalidRecordingState = 99102;

    /// <summary>Ours: the call's stream budget (4 forked streams by default; a both-tracks session uses 2) has no room for the start.</summary>
    public const int StreamLimitExceeded = 99103;

    /// <summary>Ours: a start that no SRS accepted (§4.2 SIP 503 "Error starting SipRec call recording: …").</summary>
    public const int RecordersUnavailable = 99110;

    /// <summary>Ours: a start that no SRS answered within the no-answer timeout (§4.2 SIP 400 "No response from SipRec server …").</summary>
    public const int RecordersNoAnswer = 99111;

    /// <summary>Ours, callbacks only: one recorder of a session failed; the session goes on with the others (or a standby).</summary>
    public const int RecorderLost = 99112;

    /// <summary>Ours: every recorder of a session is gone; the session ended <c>stopped</c>.</summary>
    public const int RecordingLost = 99113;

    /// <summary>Ours: the recording was required (<c>RecordingRequired</c>) and is unavailable; the call is being ended.</summary>
    public const int RecordingRequiredUnavailable = 99114;

    /// <summary>Ours: the recorders did not all answer a pause, resume or stop within the operation bound (HTTP 504).</summary>
    public const int OperationPending = 99115;

    /// <summary>Ours: a pause or resume that every recorder refused left the session in another state (HTTP 500).</summary>
    public const int OperationFailed = 99116;

    /// <summary>Every code with its title, in the README table's order.</summary>
    public static IReadOnlyList<(int Code, string Title)> All { get; } =
    [
        (AuthenticationRequired, "Authenticate"),
        (NotFound, "Not Found"),
        (InternalError, "Internal Server Error"),
        (InvalidCallState, "Invalid call state"),
        (InvalidConnectorName, "Invalid connectorName"),
        (InvalidTrack, "Invalid Track configuration"),
        (InvalidParameter, "Invalid parameter"),
        (RequestBodyRefused, "Request body refused"),
        (InvalidRecordingState, "Invalid recording state"),
        (StreamLimitExceeded, "Stream limit exceeded"),
        (RecordersUnavailable, "No recorder accepted"),
        (RecordersNoAnswer, "No recorder answered"),
        (RecorderLost, "Recorder lost"),
        (RecordingLost, "Recording lost"),
        (RecordingRequiredUnavailable, "Required recording unavailable"),
        (OperationPending, "Operation pending"),
        (OperationFailed, "Operation failed"),
    ];

    /// <summary>True for a code Twilio documents (its page is <see cref="TwilioInfoUrl"/>); false for ours.</summary>
    public static bool IsTwilioCode(int code) => code < InvalidParameter;

    /// <summary>Twilio's page of a code it documents (Twilio's <c>more_info</c>); null for ours.</summary>
    public static string? TwilioInfoUrl(int code) =>
        IsTwilioCode(code) ? "https://www.twilio.com/docs/errors/" + code.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The code's short title; "Error" for a code not in <see cref="All"/>.</summary>
    public static string Title(int code) => All.FirstOrDefault(c => c.Code == code).Title ?? "Error";

    /// <summary>The code of a form that <see cref="RestRecordingRequest"/> or the form reader refused.</summary>
    public static int For(RecordingControlError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            { StatusCode: 413 or 415 } => RequestBodyRefused,
            { Field: "Track" } => InvalidTrack,
            _ => InvalidParameter,
        };
    }

    /// <summary>The code of a controller answer: its own <see cref="RecordingCommandResult.RestErrorCode"/> when set, else by its status and text.</summary>
    public static int For(RecordingCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.RestErrorCode ?? ForAnswer(result.StatusCode, result.FullText);
    }

    /// <summary>
    /// The code of a refusal known only by its HTTP status (the §4.2 SIP code on the REST path) and its text, as every REST
    /// error body is written: the DESIGN §4.2 texts and <see cref="GatewayTexts"/> each have their code; any other 400 or
    /// 503 is an invalid parameter, any other 500 an internal error.
    /// </summary>
    public static int ForAnswer(int status, string? text)
    {
        text ??= "";
        if (status == 401) return AuthenticationRequired;
        if (status == 404) return NotFound;
        if (status is 413 or 415) return RequestBodyRefused;
        if (status == 504) return OperationPending;
        if (text.Contains(RecordingRequirement.CallEndingText, StringComparison.Ordinal)) return RecordingRequiredUnavailable;
        if (text is GatewayTexts.CallNotInProgress or GatewayTexts.CallEnded) return InvalidCallState;
        if (text is RecordingErrorTexts.DuplicateStart or RecordingErrorTexts.StopWhileNotRecording
            or RecordingErrorTexts.InvalidPause or RecordingErrorTexts.InvalidResume) return InvalidRecordingState;
        if (text.StartsWith(RecordingErrorTexts.NoResponse, StringComparison.Ordinal)) return RecordersNoAnswer;
        if (text.StartsWith(StartFailedPrefix, StringComparison.Ordinal)) return RecordersUnavailable;
        if (status == 500) return text.StartsWith(GatewayTexts.OperationFailedPrefix, StringComparison.Ordinal) ? OperationFailed : InternalError;
        return InvalidParameter;
    }

    /// <summary>
    /// The <c>SiprecErrorCode</c> of a <c>siprec-error</c>: a recorder lost while the session goes on, a start that
    /// established no recorder (no answer, or every SRS refused), every recorder gone, or a required recording unavailable.
    /// </summary>
    public static int ForStatusChange(RecordingStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var text = change.ErrorText ?? change.Resource.ErrorText ?? "";
        if (text.Contains(RecordingRequirement.CallEndingText, StringComparison.Ordinal)) return RecordingRequiredUnavailable;
        if (change.ErrorCode is not null) return RecorderLost;
        // A session that never started is a failed start; one that did has lost its last recorder.
        return change.Resource.StartTime is null ? ForAnswer(change.Resource.ErrorCode ?? 503, text) : RecordingLost;
    }

    /// <summary>The callback's <c>SiprecError</c>: the text, then the SIP outcome, e.g. <c>"…; every recorder has ended (SIP 503)"</c>.</summary>
    public static string CallbackText(RecordingStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var text = change.ErrorText ?? change.Resource.ErrorText ?? "";
        return (change.ErrorCode ?? change.Resource.ErrorCode) is { } sip
            ? text + " (SIP " + sip.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")"
            : text;
    }

    private static readonly string StartFailedPrefix = RecordingErrorTexts.StartFailed([]);
}
