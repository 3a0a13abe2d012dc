using System.Net;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Transport;

/// <summary>A received message with its envelope (kept apart from the message, as PJSIP's rx_data).</summary>
/// <param name="Message">The parsed message.</param>
/// <param name="Local">The local endpoint it arrived on.</param>
/// <param name="Remote">The source address and port (RFC 3581 uses it for the response).</param>
/// <param name="Transport">The transport it arrived over.</param>
/// <param name="ReceivedAt">When it arrived, from the layer's <see cref="TimeProvider"/>.</param>
public sealed record IncomingMessage(SipMessage Message, IPEndPoint Local, IPEndPoint Remote, SipTransportProtocol Transport, DateTimeOffset ReceivedAt);
