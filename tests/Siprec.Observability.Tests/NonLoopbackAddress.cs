using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Siprec.Observability.Tests;

/// <summary>A local IPv4 address that is not loopback (traffic to it stays on this machine), for the "bound elsewhere" tests.</summary>
internal static class NonLoopbackAddress
{
    public static IPAddress? Find() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
