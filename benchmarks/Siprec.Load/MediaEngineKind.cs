namespace Siprec.Load;

/// <summary>The gateway's media engine (DESIGN §2, media engine port) a step runs on.</summary>
internal enum MediaEngineKind
{
    /// <summary>The in-process RTP forwarder, the default.</summary>
    Embedded,

    /// <summary>rtpengine over the ng control protocol (<c>--media-engine rtpengine</c>): the harness starts the Debian daemon in userspace beside the gateway and counts its CPU as the gateway's.</summary>
    Rtpengine,
}
