namespace Siprec.Load;

/// <summary>The gateway's media engine (DESIGN §2, media engine port) a step runs on.</summary>
internal enum MediaEngineKind
{
    /// <summary>The in-process RTP forwarder, the default.</summary>
    Embedded,

    /// <summary>rtpengine over the ng control protocol; not in the gateway yet (issue 14 adds it).</summary>
    Rtpengine,
}
