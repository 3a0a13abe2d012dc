using Siprec.Control;
using Siprec.FlowNode.Sdk;

namespace Siprec.FlowNode.Testing;

/// <summary>
/// A ready-made <see cref="ICallControl"/> for node unit tests, so a designer's test needs no mocking library: it keeps
/// every INFO the node sends (in order, with its headers and JSON body as the gateway would receive them, DESIGN §4.1),
/// every prompt played and every hang-up, and answers each INFO with <see cref="Answer"/>. Thread-safe; never blocks.
/// </summary>
/// <example>
/// <code>
/// var call = new CapturingCallControl { Answer = _ =&gt; new InfoAnswer(503, "Service Unavailable", "399 gw \"busy\"") };
/// var result = await new NodeTestHost().RunCallRecordingAsync(new CallRecordingNodeConfig { Activity = "startCallRecording", RecordingServer = "sip:rec@127.0.0.1" }, call);
/// Assert.Equal("startCallRecording", call.Infos[0].GetHeader("X-Reason"));
/// </code>
/// </example>
public sealed class CapturingCallControl : ICallControl
{
    /// <summary>The answer of a gateway that accepted the request (RFC 3261 §21.2.1).</summary>
    public static readonly InfoAnswer Ok = new(200, "OK", null);

    private readonly Lock _gate = new();
    private readonly List<InfoRequestContent> _infos = [];
    private readonly List<string> _prompts = [];
    private readonly List<string> _events = [];
    private int _hangUps;

    /// <summary>The call's SID the node sends as <c>X-Call-Sid</c>. Default <c>CA-test</c>.</summary>
    public string CallSid { get; init; } = "CA-test";

    /// <summary>
    /// Answers each INFO (called once per INFO, under no lock of this class). Default: <see cref="Ok"/>. Throwing from it
    /// plays an INFO that could not be delivered (the call is gone), which the node reports as a failure.
    /// </summary>
    public Func<InfoRequestContent, InfoAnswer> Answer { get; init; } = static _ => Ok;

    /// <summary>Every INFO sent so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<InfoRequestContent> Infos
    {
        get { lock (_gate) return _infos.ToArray(); }
    }

    /// <summary>Every prompt name played so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<string> Prompts
    {
        get { lock (_gate) return _prompts.ToArray(); }
    }

    /// <summary>How many times the flow hung up.</summary>
    public int HangUps => Volatile.Read(ref _hangUps);

    /// <summary>
    /// What happened on the call, in order: <c>info:&lt;X-Reason&gt;</c>, <c>play:&lt;prompt&gt;</c>, <c>hangUp</c>
    /// (a snapshot), to assert on the sequence a flow produces.
    /// </summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_gate) return _events.ToArray(); }
    }

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled before the INFO was sent.</exception>
    public Task<InfoAnswer> SendInfoAsync(InfoRequestContent info, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(info);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _infos.Add(info);
            _events.Add("info:" + info.GetHeader("X-Reason"));
        }
        return Task.FromResult(Answer(info));
    }

    /// <inheritdoc />
    public Task PlayAsync(string prompt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _prompts.Add(prompt);
            _events.Add("play:" + prompt);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task HangUpAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _hangUps);
        lock (_gate) _events.Add("hangUp");
        return Task.CompletedTask;
    }
}
