using Siprec.Control;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// Texts the gateway adds to the DESIGN §4.2 table (<see cref="RecordingErrorTexts"/> holds the table's own):
/// partial successes and failures the table does not name, each one printable line.
/// </summary>
internal static class GatewayTexts
{
    /// <summary>200 to a start that some SRSs refused: the <c>Warning</c> lists them.</summary>
    public static string StartedWithFailures(IEnumerable<SrsOutcome> failed) =>
        "SipRec call recording started; failed: " + Describe(failed);

    /// <summary>200 to a pause or resume that some recorders refused (they still get no media while paused).</summary>
    public static string OperationWithFailures(string action, IEnumerable<SrsOutcome> failed) =>
        action + " done; recorders that did not confirm: " + Describe(failed);

    /// <summary>How every <see cref="OperationFailed"/> text begins (the REST error code is chosen by it).</summary>
    public const string OperationFailedPrefix = "Error on ";

    /// <summary>500 when a pause or resume left the recording in a state other than the one asked for.</summary>
    public static string OperationFailed(string action, IEnumerable<SrsOutcome> outcomes) =>
        OperationFailedPrefix + action + " of SipRec call recording: " + Describe(outcomes);

    /// <summary>
    /// The 504 text of a request whose recorders did not all answer within the operation bound (issue 11): the action, the
    /// bound in seconds, the recorders still pending when known, and that the operation goes on.
    /// </summary>
    public static string OperationPending(string action, TimeSpan bound, IReadOnlyList<string> pendingRecorders) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{action}: the recorders did not all answer within {bound.TotalSeconds:0.#} s") +
        (pendingRecorders.Count > 0 ? "; pending: " + string.Join(", ", pendingRecorders) : "") +
        "; the request goes on and its result will show on the resource (a pause stops media at once)";

    /// <summary>
    /// The 200 text of a pause, resume or stop that some recorders confirmed within the operation bound (issue 11): the
    /// bound, the recorders that confirmed, those still pending, and those that refused.
    /// </summary>
    public static string OperationPartlyConfirmed(string action, TimeSpan bound, IReadOnlyList<SrsOutcome> confirmed, IReadOnlyList<string> pending,
        IEnumerable<SrsOutcome> failed)
    {
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{action} done within {bound.TotalSeconds:0.#} s by ")
            + string.Join(", ", confirmed.Select(c => RecordingErrorTexts.Printable(c.SrsUri)));
        if (pending.Count > 0)
            text += "; pending: " + string.Join(", ", pending.Select(RecordingErrorTexts.Printable));
        var refused = failed.ToList();
        if (refused.Count > 0)
            text += "; recorders that did not confirm: " + Describe(refused);
        return text;
    }

    /// <summary>
    /// 400 for a start that does not fit into the call's stream budget (DESIGN §4.4, Twilio: at most four forked streams per
    /// call, a both-tracks session uses two).
    /// </summary>
    public static string StreamBudgetExceeded(int budget, int inUse, int wanted) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"too many SIPREC streams on this call: {inUse} of {budget} in use, this session needs {wanted} (both_tracks uses 2); stop a session or record one track");

    /// <summary>500 when the call ended while the request was being carried out.</summary>
    public const string CallEnded = "the call ended before the recording request completed";

    /// <summary>
    /// 400 for a create, pause or resume on a call that has already ended (its sessions are kept readable for a
    /// while): a client error, as Twilio's 21220 "Invalid call state", not a server failure.
    /// </summary>
    public const string CallNotInProgress = "the call is no longer in progress: a completed call cannot be recorded, paused or resumed";

    /// <summary>
    /// 404 (cluster mode, <c>docs/SCALING.md</c>) for a call the registry says is held by a gateway that is gone (its
    /// liveness entry expired) or cannot be connected to: the call's state is unknowable from here.
    /// </summary>
    public static string CallGatewayUnavailable(string nodeId) =>
        $"Resource not found: the call's gateway ({nodeId}) is unavailable";

    /// <summary>504 (cluster mode) when the gateway holding the call accepted the forwarded request but did not answer in time.</summary>
    public static string CallGatewayTimedOut(string nodeId, TimeSpan bound) =>
        $"the call's gateway ({nodeId}) did not answer within {bound.TotalSeconds:0} s; the request may still be carried out there";

    /// <summary>500 for an unexpected failure inside the gateway.</summary>
    public static string InternalError(string reason, Exception exception) =>
        reason + " failed inside the gateway: " + RecordingErrorTexts.Printable(exception.Message);

    /// <summary>The outcomes of the SRSs that did not accept, as <c>&lt;uri&gt;: &lt;outcome&gt;; …</c>.</summary>
    public static IEnumerable<SrsOutcome> Failures(IEnumerable<SrsOutcome> outcomes) =>
        outcomes.Where(o => o.Kind is not (SrsOutcomeKind.Accepted or SrsOutcomeKind.Pending));

    private static string Describe(IEnumerable<SrsOutcome> outcomes)
    {
        var parts = outcomes.Select(o => RecordingErrorTexts.Printable(o.SrsUri) + ": " + RecordingErrorTexts.Printable(o.Detail)).ToList();
        return parts.Count == 0 ? "no recorder answered" : string.Join("; ", parts);
    }
}
