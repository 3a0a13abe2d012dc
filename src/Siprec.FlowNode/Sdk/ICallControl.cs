using Siprec.Control;

namespace Siprec.FlowNode.Sdk;

/// <summary>
/// Port: the call a flow runs on. The host (gateway) implements it on the call's SIP dialog; tests mock it.
/// </summary>
public interface ICallControl
{
    /// <summary>The call's SID, sent as <c>X-Call-Sid</c>.</summary>
    string CallSid { get; }

    /// <summary>
    /// Sends an in-dialog INFO (RFC 6086) with these headers and body and returns the final answer.
    /// Throws when the call is gone or the INFO could not be delivered; the node reports that as a failure.
    /// </summary>
    Task<InfoAnswer> SendInfoAsync(InfoRequestContent info, CancellationToken ct);

    /// <summary>Plays a prompt the host resolves by name (e.g. <c>samples/audio/prompt-&lt;name&gt;.wav</c>); completes when played.</summary>
    Task PlayAsync(string prompt, CancellationToken ct);

    /// <summary>Ends the call (BYE); the flow stops after it.</summary>
    Task HangUpAsync(CancellationToken ct);
}
