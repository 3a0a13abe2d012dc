using Siprec.Control;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// How the controller turns what the SRC did into the DESIGN §4.2 answer (code and text), and a request into the SRC's
/// start options. Pure functions of their arguments.
/// </summary>
internal static class RecordingAnswers
{
    /// <summary>200 to a start that at least one SRS accepted; the text names those that did not.</summary>
    public static RecordingCommandResult Started(RecordingStartResult result)
    {
        var failed = GatewayTexts.Failures(result.Outcomes).ToList();
        return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.StartedWithFailures(failed));
    }

    /// <summary>
    /// A start that established no recorder: §4.2's 400 (no answer in the window) or 503 (every SRS failed). When the
    /// recording was required, 503 either way (the BYE's RFC 3326 cause) and <see cref="RecordingCommandResult.CallEnding"/> says
    /// the call is being ended.
    /// </summary>
    public static RecordingCommandResult StartFailed(RecordingStartResult result, bool required)
    {
        var text = result.TimedOut
            ? RecordingErrorTexts.NoResponse
            : RecordingErrorTexts.StartFailed(result.Outcomes.Select(o => (o.SrsUri, o.Detail)));
        if (required)
        {
            return new RecordingCommandResult(RecordingRequirement.Cause, text) { CallEnding = RecordingRequirement.CallEndingText };
        }
        return new RecordingCommandResult(result.TimedOut ? 400 : 503, text);
    }

    /// <summary>
    /// What a pause or resume reached is the truth: not allowed in the state it found → the §4.2 "invalid" 400; reached
    /// (now, or as it ended before a later operation of the same recording moved the state on; operations run side by
    /// side) → 200 naming recorders that did not confirm; every recorder gone meanwhile → 400; else (every recorder
    /// refused a resume) → 500.
    /// </summary>
    public static RecordingCommandResult Judge(RecordingState state, RecordingOperationResult result, RecordingState wanted,
                                               RecordingState from, string invalidText, string action)
    {
        if (result.StateAfter is null)
        {
            return new RecordingCommandResult(400, invalidText);
        }
        if (state == wanted || (result.StateAfter == wanted && state is not (RecordingState.Failed or RecordingState.Idle)))
        {
            var failed = GatewayTexts.Failures(result.Outcomes).ToList();
            return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.OperationWithFailures(action, failed));
        }
        if (state != from)
        {
            return new RecordingCommandResult(400, invalidText);
        }
        return new RecordingCommandResult(500, GatewayTexts.OperationFailed(action, result.Outcomes));
    }

    /// <summary>The connector reaches the SRC; everything else (Track, custom headers, Parameters and where they travel) is the request's own.</summary>
    public static RecordingStartOptions StartOptionsFor(RecordingRequestOptions options) => new() { Connector = options.Connector };
}
