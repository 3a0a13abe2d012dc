using System.Collections.Concurrent;
using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Twiml;

namespace Siprec.Gateway.Tests.Twiml;

/// <summary>A call for the interpreter: playback is recorded and returns at once, hang-up is counted, the controller is real.</summary>
internal sealed class FakeTwimlCall(RecordingController recording, string? accountSid = "AC0001") : ITwimlCall
{
    /// <summary>The length in samples of each playback, in order.</summary>
    public ConcurrentQueue<int> Played { get; } = new();

    /// <summary>How often the application hung up.</summary>
    public int HangUps => _hangUps;

    private int _hangUps;

    public string CallSid => "CA0123";

    public string? AccountSid => accountSid;

    public string From => "sip:caller@127.0.0.1";

    public string To => "sip:+15550001111@127.0.0.1";

    public RecordingController Recording => recording;

    public Task PlayAsync(ReadOnlyMemory<short> samples, CancellationToken ct)
    {
        Played.Enqueue(samples.Length);
        return Task.CompletedTask;
    }

    public Task PlayAsync(string prompt, CancellationToken ct) => throw new NotSupportedException("TwiML plays samples, not named prompts");

    public Task<InfoAnswer> SendInfoAsync(InfoRequestContent info, CancellationToken ct) => throw new NotSupportedException("TwiML sends no INFO");

    public Task HangUpAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _hangUps);
        return Task.CompletedTask;
    }
}
