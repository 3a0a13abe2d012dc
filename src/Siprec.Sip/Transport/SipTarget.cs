using System.Net;

namespace Siprec.Sip.Transport;

/// <summary>Where and how to send one request (RFC 3263 §4): an address, a transport, and for TLS the name the certificate must carry.</summary>
/// <param name="EndPoint">The remote address and port.</param>
/// <param name="Protocol">The transport to use.</param>
/// <param name="TlsHostName">For TLS, the host name checked against the server certificate (RFC 5922 §7.2); null checks the IP address.</param>
public sealed record SipTarget(IPEndPoint EndPoint, SipTransportProtocol Protocol, string? TlsHostName = null)
{
    /// <summary>The name used in a Via header for this transport (<c>UDP</c>, <c>TCP</c>, <c>TLS</c>).</summary>
    public string ViaName => ProtocolName(Protocol);

    /// <summary>The Via transport token of <paramref name="protocol"/> (RFC 3261 §20.42).</summary>
    public static string ProtocolName(SipTransportProtocol protocol) => protocol switch
    {
        SipTransportProtocol.Tcp => "TCP",
        SipTransportProtocol.Tls => "TLS",
        _ => "UDP",
    };

    /// <summary>Readable form, e.g. <c>tls:127.0.0.1:5061 (localhost)</c>.</summary>
    public override string ToString() =>
        ViaName.ToLowerInvariant() + ":" + EndPoint + (TlsHostName is null ? "" : " (" + TlsHostName + ")");
}
