namespace Siprec.Recording.MediaEngines;

/// <summary>The media of one recording of a call in a <see cref="IMediaEngine"/>: takes the legs' RTP and opens one <see cref="IRecorderMedia"/> per SRS.</summary>
public interface IMediaEngineCall : IAsyncDisposable
{
    /// <summary>One RTP packet of the caller (label 1). Never blocks or throws.</summary>
    void OnCallerRtp(ReadOnlySpan<byte> packet);

    /// <summary>One RTP packet of the bot (label 2). Never blocks or throws.</summary>
    void OnBotRtp(ReadOnlySpan<byte> packet);

    /// <summary>Opens the media towards one SRS: where the SRS's offer points (address, ports, keys) and what carries its answer.</summary>
    /// <param name="parties">The recorded legs, in m-line order.</param>
    /// <param name="secure">True for SRTP with SDES keys (RFC 4568) to the SRS.</param>
    /// <param name="ct">Ends the wait for the engine.</param>
    /// <exception cref="MediaEngineException">The engine could not open media (e.g. rtpengine did not answer or refused).</exception>
    Task<IRecorderMedia> OpenRecorderAsync(IReadOnlyList<CallParty> parties, bool secure, CancellationToken ct);
}
