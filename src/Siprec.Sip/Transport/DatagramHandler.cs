using System.Net;

namespace Siprec.Sip.Transport;

/// <summary>Receives one datagram; the memory is valid only during the call (copy what you keep).</summary>
/// <param name="datagram">The bytes received.</param>
/// <param name="remote">The sender.</param>
public delegate void DatagramHandler(ReadOnlyMemory<byte> datagram, IPEndPoint remote);
