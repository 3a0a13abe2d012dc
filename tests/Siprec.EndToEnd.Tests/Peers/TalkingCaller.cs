using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Cli.Demo.Caller;
using Siprec.Media.Wav;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>
/// A caller on 127.0.0.1 (the demo caller) that calls the bot and talks the caller sample in a loop until it hangs up, the
/// gateway hangs up, or two minutes pass; what the rigs of the control-plane and fault tests place their call with.
/// </summary>
internal sealed class TalkingCaller : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly DemoCaller _caller;
    private readonly CancellationTokenSource _hangUp = new();

    private TalkingCaller(SipUri bot)
    {
        _caller = new DemoCaller(new IPEndPoint(IPAddress.Loopback, 0), IPAddress.Loopback, TimeProvider.System, NullLoggerFactory.Instance);
        var utterance = WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav"));
        Result = _caller.CallAsync(bot, utterance, TimeSpan.FromSeconds(120), _hangUp.Token);
    }

    /// <summary>The caller's view of the call once it ends (answered, who hung up); cancelled when the caller hung up itself.</summary>
    public Task<DemoCallResult> Result { get; }

    /// <summary>Starts calling <paramref name="bot"/>; the call goes on in the background.</summary>
    public static TalkingCaller Call(SipUri bot) => new(bot);

    /// <summary>The caller hangs up (BYE) and the call ends, waiting at most 30 s; idempotent.</summary>
    public async Task HangUpAsync()
    {
        await _hangUp.CancelAsync();
        try
        {
            await Result.WaitAsync(Bound);
        }
        catch (OperationCanceledException)
        {
            // CallAsync ends a cancelled call with BYE, then reports the cancellation.
        }
    }

    /// <summary>Hangs up, then closes the caller's sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        await HangUpAsync();
        await _caller.DisposeAsync();
        _hangUp.Dispose();
    }
}
