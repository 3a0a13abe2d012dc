namespace Siprec.Gateway.Configuration;

/// <summary>What forks the calls' media to the recorders (<c>media.engine</c>, <c>--media-engine</c>; DESIGN §2 media engine port).</summary>
public enum GatewayMediaEngine
{
    /// <summary>The in-process RTP forwarder: the default, nothing to install.</summary>
    Embedded,

    /// <summary>rtpengine over the ng control protocol (<see cref="GatewayOptions.Rtpengines"/>).</summary>
    Rtpengine,
}
