namespace Siprec.Sip.Sdp;

/// <summary>The <c>c=</c> line (RFC 4566 §5.7).</summary>
/// <param name="NetType">Network type, <c>IN</c>.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c>.</param>
/// <param name="Address">The connection address (may carry <c>/ttl</c> for multicast).</param>
public sealed record SdpConnection(string NetType, string AddressType, string Address)
{
    /// <summary>An <c>IN IP4</c> or <c>IN IP6</c> connection for <paramref name="address"/>.</summary>
    public static SdpConnection For(System.Net.IPAddress address) =>
        new("IN", address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());

    /// <summary>The value after <c>c=</c>.</summary>
    public override string ToString() => $"{NetType} {AddressType} {Address}";
}
