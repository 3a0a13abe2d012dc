namespace Siprec.Recording.MediaEngines;

/// <summary>
/// The media engine port (DESIGN §2): what forks a call's two legs to its recorders. <c>embedded</c> (the in-process
/// forwarder, the default, nothing to install) or <c>rtpengine</c> (the ng control protocol; rtpengine forks to each SRS).
/// </summary>
public interface IMediaEngine
{
    /// <summary>The engine's configuration name: <c>embedded</c> or <c>rtpengine</c>.</summary>
    string Name { get; }

    /// <summary>Opens the media of one recording of a call; cheap and synchronous (an engine talks to the outside only when a recorder is opened).</summary>
    /// <param name="callId">The call's Call-ID, for logs and the engine's own call naming.</param>
    IMediaEngineCall OpenCall(string callId);
}
