using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtpengine;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// rtpengine as the media engine (issue 14; rtpengine 10.5 <c>docs/ng_control_protocol.md</c>): per recording the SRC
/// <c>publish</c>es the call's legs to one rtpengine instance (chosen by weight among those that answer) and sends their
/// RTP there; each SRS gets a <c>subscribe request</c> (rtpengine's offer, SRTP with SDES for a secure recorder) and the SRS's
/// answer goes back in <c>subscribe answer</c>; pause is <c>block media</c> on the subscription, resume <c>unblock media</c>,
/// a recorder's end <c>unsubscribe</c>, the recording's end <c>delete</c>. An instance that stops answering fails the
/// recordings it held (<see cref="RecorderFailureCause.MediaEngineFailed"/>); new recordings go to the others.
/// </summary>
public sealed class RtpengineMediaEngine : IMediaEngine, IAsyncDisposable
{
    private readonly ConcurrentDictionary<RtpengineMediaCall, byte> _calls = new();
    private readonly bool _ownsClient;

    /// <summary>Creates the engine over an ng client.</summary>
    /// <param name="client">The ng client with the configured instances.</param>
    /// <param name="mediaAddress">The SRC's address the legs' RTP leaves from towards rtpengine.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="ownsClient">True to dispose <paramref name="client"/> with the engine.</param>
    public RtpengineMediaEngine(NgClient client, IPAddress mediaAddress, ILoggerFactory loggerFactory, bool ownsClient = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mediaAddress);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Client = client;
        MediaAddress = mediaAddress;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger<RtpengineMediaEngine>();
        _ownsClient = ownsClient;
        client.InstanceDown += OnInstanceDown;
    }

    /// <inheritdoc />
    public string Name => "rtpengine";

    /// <summary>The ng client.</summary>
    public NgClient Client { get; }

    /// <summary>The SRC's address the legs' RTP leaves from.</summary>
    public IPAddress MediaAddress { get; }

    /// <summary>Number of recordings that have media published at some instance now.</summary>
    public int ActiveCalls => _calls.Count;

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    /// <inheritdoc />
    public IMediaEngineCall OpenCall(string callId) => new RtpengineMediaCall(this, callId);

    internal void Track(RtpengineMediaCall call) => _calls.TryAdd(call, 0);

    internal void Forget(RtpengineMediaCall call) => _calls.TryRemove(call, out _);

    private void OnInstanceDown(RtpengineInstance instance, string detail)
    {
        foreach (var call in _calls.Keys.Where(c => Equals(c.Instance, instance)))
            call.Fail($"rtpengine {instance} stopped answering: {detail}");
    }

    /// <summary>Stops listening for instance failures; disposes the client when the engine owns it.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.InstanceDown -= OnInstanceDown;
        if (_ownsClient)
            await Client.DisposeAsync().ConfigureAwait(false);
    }
}
