using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Twiml;

namespace Siprec.Gateway.Calls;

/// <summary>
/// The flow's view of a gateway call (<see cref="ICallControl"/>): prompts play on the call's RTP stream, hang-up
/// sends BYE on its dialog, and the node's INFO goes through the same handler as INFO arriving over SIP. A TwiML/TeXML
/// application sees the same call through <see cref="ITwimlCall"/>: any audio, the webhook's parameters, the controller.
/// </summary>
internal sealed class GatewayCallControl : ITwimlCall
{
    private readonly GatewayCall _call;
    private readonly PromptLibrary _prompts;

    /// <param name="call">The call the flow runs on.</param>
    /// <param name="prompts">Where prompt names resolve.</param>
    public GatewayCallControl(GatewayCall call, PromptLibrary prompts)
    {
        _call = call;
        _prompts = prompts;
    }

    /// <inheritdoc />
    public string CallSid => _call.CallSid;

    /// <inheritdoc />
    public Task<InfoAnswer> SendInfoAsync(InfoRequestContent info, CancellationToken ct) => _call.SendInfoAsync(info, ct);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The prompt name is not a plain name.</exception>
    /// <exception cref="FileNotFoundException">No <c>prompt-&lt;name&gt;.wav</c> in the prompt folder.</exception>
    /// <exception cref="InvalidDataException">The prompt is not 8 kHz 16-bit PCM.</exception>
    public Task PlayAsync(string prompt, CancellationToken ct) => _call.PlayAsync(_prompts.Get(prompt), ct);

    /// <inheritdoc />
    public string? AccountSid => _call.AccountSid;

    /// <inheritdoc />
    public string From => _call.From;

    /// <inheritdoc />
    public string To => _call.To;

    /// <inheritdoc />
    public RecordingController Recording => _call.Controller;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The call is not up.</exception>
    public Task PlayAsync(ReadOnlyMemory<short> samples, CancellationToken ct) => _call.PlayAsync(samples, ct);

    /// <inheritdoc />
    public Task HangUpAsync(CancellationToken ct) => _call.HangUpAsync(ct);
}
