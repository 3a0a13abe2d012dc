namespace Siprec.Sip.Sdp;

/// <summary>The <c>o=</c> line (RFC 4566 §5.2); bump <paramref name="SessionVersion"/> on every changed offer (RFC 3264 §8).</summary>
/// <param name="UserName">User name, <c>-</c> when none.</param>
/// <param name="SessionId">Numeric session id.</param>
/// <param name="SessionVersion">Numeric version.</param>
/// <param name="NetType">Network type, <c>IN</c>.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c>.</param>
/// <param name="Address">Address of the originator.</param>
public sealed record SdpOrigin(string UserName, ulong SessionId, ulong SessionVersion, string NetType, string AddressType, string Address)
{
    /// <summary>The value after <c>o=</c>.</summary>
    public override string ToString() => $"{UserName} {SessionId} {SessionVersion} {NetType} {AddressType} {Address}";
}
