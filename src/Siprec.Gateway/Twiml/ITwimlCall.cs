using Siprec.FlowNode.Sdk;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// The call a TwiML/TeXML application runs on: the flow's <see cref="ICallControl"/> (hang-up, the SID) plus what a
/// document needs beyond named prompts: any audio played on the call's RTP, the webhook's call parameters and the call's
/// <see cref="RecordingController"/>, which every <c>&lt;Siprec&gt;</c> goes through like REST and INFO.
/// </summary>
internal interface ITwimlCall : ICallControl
{
    /// <summary>The call's REST account; null when none (then a <c>&lt;Siprec&gt;</c> start is refused: nobody could see it).</summary>
    string? AccountSid { get; }

    /// <summary>The caller, as the webhook's <c>From</c> (the From URI).</summary>
    string From { get; }

    /// <summary>The called party, as the webhook's <c>To</c> (the To URI).</summary>
    string To { get; }

    /// <summary>The call's recording controller.</summary>
    RecordingController Recording { get; }

    /// <summary>Plays 8 kHz mono samples to the caller; completes when the last frame was sent.</summary>
    Task PlayAsync(ReadOnlyMemory<short> samples, CancellationToken ct);
}
