using Siprec.Media.Forwarding;

namespace Siprec.Recording.MediaEngines;

/// <summary>One recording's legs in the embedded engine: a fan-out per leg, to which each admitted recorder's forwarders are added.</summary>
internal sealed class EmbeddedMediaCall : IMediaEngineCall
{
    private readonly EmbeddedMediaEngine _engine;

    public EmbeddedMediaCall(EmbeddedMediaEngine engine) => _engine = engine;

    /// <summary>The caller leg's forwarders (label 1).</summary>
    public RtpFanOut Caller { get; } = new();

    /// <summary>The bot leg's forwarders (label 2).</summary>
    public RtpFanOut Bot { get; } = new();

    /// <inheritdoc />
    public void OnCallerRtp(ReadOnlySpan<byte> packet) => Caller.Forward(packet);

    /// <inheritdoc />
    public void OnBotRtp(ReadOnlySpan<byte> packet) => Bot.Forward(packet);

    /// <inheritdoc />
    public Task<IRecorderMedia> OpenRecorderAsync(IReadOnlyList<CallParty> parties, bool secure, CancellationToken ct) =>
        Task.FromResult<IRecorderMedia>(new EmbeddedRecorderMedia(_engine, this, parties, secure));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // each recorder's media owns its sockets
}
