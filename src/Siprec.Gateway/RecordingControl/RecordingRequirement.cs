using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Gateway.Observability;
using Siprec.Recording.Connectors;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The recording-required policy of one call (DESIGN "No silent loss"): a call that cannot be recorded is ended, not left
/// unrecorded. Which setting applies to a start (the request's, else its connector's, else the gateway's; off by default),
/// whether the current recording is required, and ending the call at most once when it is not available: a log line with
/// CallSid and SiprecSid, the <c>siprec.gateway.calls.ended_unrecordable</c> metric, and the call's BYE carrying
/// <see cref="ReasonHeaderValue"/> (RFC 3326). Thread-safe; never blocks (the BYE is sent by the call, not awaited here).
/// </summary>
internal sealed class RecordingRequirement
{
    /// <summary>The RFC 3326 <c>text</c> of the BYE's Reason.</summary>
    public const string ReasonText = "recording required and unavailable";

    /// <summary>The RFC 3326 <c>cause</c> of the BYE's Reason, and the code of the answer and the <c>siprec-error</c> callback.</summary>
    public const int Cause = 503;

    /// <summary>The BYE's <c>Reason</c> header value (RFC 3326 §2, its examples' spacing).</summary>
    public const string ReasonHeaderValue = "SIP ;cause=503 ;text=\"" + ReasonText + "\"";

    /// <summary>What the start's answer (INFO <c>Warning</c>, REST error) and the callback add: the call is being ended.</summary>
    public const string CallEndingText = ReasonText + " (RecordingRequired): the call is being ended";

    /// <summary>The metric tag <c>when</c> of a start that established no recorder.</summary>
    public const string AtStart = "start";

    /// <summary>The metric tag <c>when</c> of a recording whose last recorder was lost.</summary>
    public const string MidCall = "mid-call";

    private readonly bool _gatewayDefault;
    private readonly Action? _endCall;
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly GatewayMetrics? _metrics;
    private int _ended;

    /// <param name="gatewayDefault">The gateway's <see cref="GatewayOptions.RecordingRequired"/>.</param>
    /// <param name="endCall">Ends the call (BYE with <see cref="ReasonHeaderValue"/>, then teardown); must return at once. Null: nothing to end.</param>
    /// <param name="callSid">The call's SID (log line).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="metrics">Instruments; null counts nothing.</param>
    public RecordingRequirement(bool gatewayDefault, Action? endCall, string callSid, ILogger logger, GatewayMetrics? metrics)
    {
        _gatewayDefault = gatewayDefault;
        _endCall = endCall;
        _callSid = callSid;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>True once the call is being ended by the policy.</summary>
    public bool HasEndedCall => Volatile.Read(ref _ended) == 1;

    /// <summary>The setting that applies to a start: most specific wins (request, then connector, then gateway).</summary>
    public bool IsRequired(RecordingControlRequest request, SrsConnector? connector) =>
        request.RecordingRequired ?? connector?.RecordingRequired ?? _gatewayDefault;

    /// <summary>
    /// The required recording is unavailable: logs it, counts it and ends the call, once per call (later calls do nothing).
    /// </summary>
    /// <param name="siprecSid">The SIPREC session that could not record.</param>
    /// <param name="when"><see cref="AtStart"/> or <see cref="MidCall"/>.</param>
    /// <param name="detail">Why (the §4.2 text of the failed start, or the last recorder's failure).</param>
    public void EndCall(string siprecSid, string when, string detail)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }
        using var callScope = LogScope.ForCall(_logger, _callSid);
        using var recordingScope = LogScope.ForRecording(_logger, siprecSid);
        Log.EndingUnrecordableCall(_logger, _callSid, siprecSid, when, RecordingErrorTexts.Printable(detail));
        _metrics?.CallEndedUnrecordable(when);
        _endCall?.Invoke();
    }
}
