using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.ControlPlane;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Gateway;
using Siprec.Media.Codecs;
using Siprec.Media.Wav;
using Siprec.Recorder;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>
/// The product side of an interop test, in process on 127.0.0.1: the embedded SRS (UDP and TCP on one port, WAV + JSON
/// under the test's folder) and the gateway answering calls (UDP, and TCP on the same port when asked) with a flow from
/// <c>samples/flows/</c> whose context names the SRS URI. Exposes what the operator sees: the gateway's
/// <see cref="CallSummary"/> and the SRS's <see cref="RecordedSessionSummary"/>, each awaited with a bound.
/// </summary>
internal sealed class GatewayWithEmbeddedSrs : IAsyncDisposable
{
    private const int SampleRate = 8000;
    private const int Frame = 160;
    private static readonly TimeSpan SummaryLimit = TimeSpan.FromSeconds(15);
    private readonly TaskCompletionSource<CallSummary> _callEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<RecordedSessionSummary> _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RecordingServer _srs;
    private RecordingGateway? _gateway;

    private GatewayWithEmbeddedSrs(RecordingServer srs, int srsPort)
    {
        _srs = srs;
        SrsPort = srsPort;
        _srs.SessionCompleted += s => _recorded.TrySetResult(s);
    }

    /// <summary>The SRS's SIP port on 127.0.0.1 (UDP and TCP).</summary>
    public int SrsPort { get; }

    /// <summary>The gateway's SIP port on 127.0.0.1 (UDP, and TCP when started so); 0 before <see cref="StartGatewayAsync"/>.</summary>
    public int GatewayPort { get; private set; }

    /// <summary>Starts the embedded SRS writing to <c>&lt;work&gt;/recordings</c>.</summary>
    public static async Task<GatewayWithEmbeddedSrs> StartSrsAsync(string work)
    {
        var port = FreePorts.UdpAndTcp();
        var srs = new RecordingServer(
            new RecordingServerOptions
            {
                SipEndPoint = new IPEndPoint(IPAddress.Loopback, port),
                AdditionalListenEndPoints = [new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, port))],
                MediaAddress = IPAddress.Loopback,
                OutputDirectory = Path.Combine(work, "recordings"),
            },
            TimeProvider.System, NullLoggerFactory.Instance);
        var rig = new GatewayWithEmbeddedSrs(srs, port);
        await srs.StartAsync(CancellationToken.None);
        return rig;
    }

    /// <summary>
    /// Starts the gateway running <c>samples/flows/&lt;flow&gt;</c> with <c>cc.srsList = [srsUri]</c>; it listens on UDP and,
    /// with <paramref name="tcp"/>, on TCP at the same port; <paramref name="configure"/> may change the options (e.g. the media engine).
    /// </summary>
    public async Task StartGatewayAsync(string flow, string srsUri, string recordingId, bool tcp, Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        var port = FreePorts.UdpAndTcp();
        configure ??= o => o;
        _gateway = new RecordingGateway(
            configure(new GatewayOptions
            {
                SipEndPoint = new IPEndPoint(IPAddress.Loopback, port),
                AdditionalListenEndPoints = tcp ? [new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, port))] : [],
                MediaAddress = IPAddress.Loopback,
                FlowPath = Path.Combine(RepoPaths.Samples, "flows", flow),
                PromptDirectory = Path.Combine(RepoPaths.Samples, "audio"),
                FlowContext = new JObject { ["srsList"] = new JArray(srsUri), ["recordingId"] = recordingId },
            }),
            TimeProvider.System, NullLoggerFactory.Instance);
        _gateway.CallEnded += c => _callEnded.TrySetResult(c);
        await _gateway.StartAsync(CancellationToken.None);
        GatewayPort = port;
    }

    /// <summary>The gateway's report of the call, awaited up to <paramref name="bound"/> (15 s by default).</summary>
    public Task<CallSummary> CallEndedAsync(TimeSpan? bound = null) => _callEnded.Task.WaitAsync(bound ?? SummaryLimit);

    /// <summary>The SRS's first finished session, awaited up to 15 s.</summary>
    public Task<RecordedSessionSummary> RecordedAsync() => _recorded.Task.WaitAsync(SummaryLimit);

    /// <summary>
    /// Writes <c>caller.wav</c> <paramref name="repetitions"/> times, each padded to whole 20 ms frames (the loop
    /// <see cref="CallerLoopCheck"/> expects), as an 8 kHz mono WAV: the source of a UA that plays a file once.
    /// </summary>
    public static void WriteCallerLoopWav(string path, int repetitions)
    {
        var pcm = PadToFrames(WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav")).Samples);
        using var writer = WavWriter.Create(path, SampleRate, 1);
        for (var i = 0; i < repetitions; i++) writer.WriteFrames(pcm);
    }

    /// <summary>Writes the caller loop sipp streams: <c>caller.wav</c> as raw μ-law, padded to whole 20 ms frames.</summary>
    public static void WriteCallerUlaw(string path)
    {
        var pcm = PadToFrames(WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav")).Samples);
        var ulaw = new byte[pcm.Length];
        G711.EncodeMuLaw(pcm, ulaw);
        File.WriteAllBytes(path, ulaw);
    }

    /// <summary><paramref name="pcm"/> followed by silence up to a whole number of 20 ms frames.</summary>
    public static short[] PadToFrames(short[] pcm)
    {
        var padded = new short[(pcm.Length + Frame - 1) / Frame * Frame];
        pcm.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>
    /// What the operator reads in the SRS's output after <c>record-call.json</c> (one pause around the card-number
    /// prompt): the sidecar is complete with one closed pause; every non-silent sample of the caller channel is the
    /// caller loop's after the G.711 round trip (silence is the paused span or a lost packet's gap), at least 3 s heard;
    /// the caller channel is silent for the middle second of the paused span; the bot channel holds at least 2 s of the
    /// welcome prompt exactly and not 0.1 s of the card-number prompt.
    /// </summary>
    /// <remarks>
    /// The SRS times the pause by wall clock and places audio by RTP timestamp, and media stops and resumes a SIP round
    /// trip away from the span's edges (DemoCommandTests explains it); only the middle second is checked, so how long
    /// that round trip took on a loaded host is not asserted.
    /// </remarks>
    public static void AssertFaithfulRecordingWithOnePause(RecordedSessionSummary session)
    {
        var sidecar = JObject.Parse(File.ReadAllText(session.JsonPath));
        Assert.True((bool?)sidecar["complete"], $"sidecar says the recording is not complete: {sidecar}");
        var pause = Assert.Single(session.PausedSpans);
        Assert.NotNull(pause.EndSeconds);
        var wav = WavFile.Read(session.WavPath);
        Assert.Equal(2, wav.Channels);
        var caller = wav.GetChannel(0);
        var bot = wav.GetChannel(1);
        // Not noGaps: the paused span is silence by design, and CallerLoopCheck counts it as unheard talk.
        CallerLoopCheck.AssertFollowsCallerLoop(caller, 3 * SampleRate, "SRS caller channel");

        var middle = (int)((pause.StartSeconds + pause.EndSeconds.Value) / 2 * SampleRate);
        var from = middle - SampleRate / 2;
        var to = Math.Min(middle + SampleRate / 2, caller.Length);
        Assert.True(pause.EndSeconds - pause.StartSeconds > 2, $"paused span {pause.StartSeconds:F2}-{pause.EndSeconds:F2} s too short to hold the card-number prompt");
        var loud = Array.FindIndex(caller, from, to - from, s => s != 0);
        Assert.True(loud < 0, $"caller channel has audio at {loud / (double)SampleRate:F3} s, in the middle of the paused span {pause.StartSeconds:F3}-{pause.EndSeconds:F3} s");

        var welcome = ExactRun.Longest(bot, Prompt("welcome"));
        Assert.True(welcome >= 2 * SampleRate, $"bot channel: longest exact run of the welcome prompt is {welcome} samples, wanted 2 s");
        var cardNumber = ExactRun.Longest(bot, Prompt("card-number"));
        Assert.True(cardNumber < SampleRate / 10, $"bot channel holds {cardNumber} samples of the card-number prompt played while paused");
    }

    /// <summary><c>samples/audio/prompt-&lt;name&gt;.wav</c> after the G.711 μ-law round trip, as a caller or the SRS hears it.</summary>
    public static short[] Prompt(string name) => MuLawRoundTrip(WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", $"prompt-{name}.wav")).Samples);

    private static short[] MuLawRoundTrip(short[] pcm)
    {
        var ulaw = new byte[pcm.Length];
        G711.EncodeMuLaw(pcm, ulaw);
        var decoded = new short[pcm.Length];
        G711.DecodeMuLaw(ulaw, decoded);
        return decoded;
    }

    /// <summary>Stops the gateway and the SRS.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        await _srs.DisposeAsync();
    }
}
