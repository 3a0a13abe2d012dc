using Siprec.Control;
using Siprec.FlowNode.Sdk;

namespace Siprec.Cli.Commands;

/// <summary>
/// The call of a dry run: records the INFO the node would send and answers 200, as a gateway that accepted it would;
/// prompts and hang-up do nothing.
/// </summary>
internal sealed class NodeDryRunCall(string callSid) : ICallControl
{
    private readonly List<InfoRequestContent> _sent = [];

    public string CallSid { get; } = callSid;

    public IReadOnlyList<InfoRequestContent> Sent => _sent;

    public Task<InfoAnswer> SendInfoAsync(InfoRequestContent info, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _sent.Add(info);
        return Task.FromResult(new InfoAnswer(200, "OK", null));
    }

    public Task PlayAsync(string prompt, CancellationToken ct) => Task.CompletedTask;

    public Task HangUpAsync(CancellationToken ct) => Task.CompletedTask;
}
