using Siprec.FlowNode.Flows;
using Siprec.Recording;

namespace Siprec.Gateway;

/// <summary>What happened on one answered call, raised by <see cref="RecordingGateway.CallEnded"/> once the call is torn down.</summary>
/// <param name="CallSid">The gateway's ID for the call: "CA" followed by 32 lower-case hex digits.</param>
/// <param name="CallId">The SIP Call-ID of the call's dialog.</param>
/// <param name="Start">When the INVITE was answered.</param>
/// <param name="End">When the call was torn down.</param>
/// <param name="Flow">The flow's result; null when no flow ran or it did not finish.</param>
/// <param name="RecorderOutcomes">Every SRS outcome of every recording started on the call, in order.</param>
/// <param name="RecordingEvents">Every recording event raised on the call, in order.</param>
/// <param name="InfoExchanges">Every recording request handled on the call and its answer, in order.</param>
public sealed record CallSummary(
    string CallSid,
    string CallId,
    DateTimeOffset Start,
    DateTimeOffset End,
    FlowRunResult? Flow,
    IReadOnlyList<SrsOutcome> RecorderOutcomes,
    IReadOnlyList<RecordingEvent> RecordingEvents,
    IReadOnlyList<InfoExchange> InfoExchanges);
