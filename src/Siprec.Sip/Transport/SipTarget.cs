using System.Net;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Transport;

/// <summary>Where and how to send one request (RFC 3263 §4): an address, a transport, and for TLS the name the certificate must carry.</summary>
/// <param name="EndPoint">The remote address and port.</param>
/// <param name="Protocol">The transport to use.</param>
/// <param name="TlsHostName">For TLS, the host name checked against the server certificate (RFC 5922 §7.2); null checks the IP address.</param>
public sealed record SipTarget(IPEndPoint EndPoint, SipTransportProtocol Protocol, string? TlsHostName = null)
{
    /// <summary>
    /// True when the URI named the transport (<c>;transport=udp</c>, <c>sips:</c>): the transaction layer then never
    /// moves an oversized request from UDP to TCP (RFC 3261 §18.1.1 applies only where the next hop's transport was chosen
    /// by the sender). False for a transport picked by default or by DNS.
    /// </summary>
    public bool IsTransportExplicit { get; init; }

    /// <summary>The name used in a Via header for this transport (<c>UDP</c>, <c>TCP</c>, <c>TLS</c>).</summary>
    public string ViaName => ProtocolName(Protocol);

    /// <summary>The Via transport token of <paramref name="protocol"/> (RFC 3261 §20.42).</summary>
    public static string ProtocolName(SipTransportProtocol protocol) => protocol switch
    {
        SipTransportProtocol.Tcp => "TCP",
        SipTransportProtocol.Tls => "TLS",
        _ => "UDP",
    };

    /// <summary>
    /// Where a UAS sends its own in-dialog request (e.g. BYE) over the transport the dialog's INVITE used, whose listener
    /// has no other. RFC 3261 §12.2.1.1: <paramref name="nextHop"/> (the first route, else the remote target) when it is
    /// an IP literal; a host name falls back to where the INVITE came from. TCP/TLS: first the INVITE's own connection
    /// (the peer may have no listener of its own, RFC 5923 §1), then the next hop when that connection is gone (the
    /// transaction layer fails over on a transport error, RFC 3263 §4.3).
    /// </summary>
    /// <param name="nextHop">The first route's URI, else the dialog's remote target.</param>
    /// <param name="signallingPeer">The address the INVITE came from (its connection, for TCP/TLS).</param>
    /// <param name="transport">The transport the INVITE came in over.</param>
    /// <returns>One target, or for TCP/TLS the connection then the next hop, in the order to try.</returns>
    public static IReadOnlyList<SipTarget> ForInDialogRequest(SipUri nextHop, IPEndPoint signallingPeer, SipTransportProtocol transport)
    {
        ArgumentNullException.ThrowIfNull(nextHop);
        var defaultPort = transport == SipTransportProtocol.Tls ? 5061 : 5060;
        var remote = IPAddress.TryParse(nextHop.Host.Trim('[', ']'), out var address)
            ? new SipTarget(new IPEndPoint(address, nextHop.Port ?? defaultPort), transport)
            : null;
        var connection = new SipTarget(signallingPeer, transport);
        if (transport == SipTransportProtocol.Udp) return [remote ?? connection];
        return remote is null || remote.EndPoint.Equals(connection.EndPoint) ? [connection] : [connection, remote];
    }

    /// <summary>Readable form, e.g. <c>tls:127.0.0.1:5061 (localhost)</c>.</summary>
    public override string ToString() =>
        ViaName.ToLowerInvariant() + ":" + EndPoint + (TlsHostName is null ? "" : " (" + TlsHostName + ")");
}
