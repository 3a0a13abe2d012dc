using Siprec.Gateway.Calls;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway;

/// <summary>
/// One bound SIP listener of the gateway with its own transaction layer, so a call's responses and its requests (BYE)
/// leave on the transport and connection its INVITE came in on (RFC 3261 §18.3: TCP/TLS connections are per transport).
/// </summary>
/// <param name="Bound">The listener with its real port.</param>
/// <param name="Layer">The transaction layer over this listener's transport; disposing it closes the transport.</param>
/// <param name="Environment">What the calls answered here share; its <see cref="CallEnvironment.Sip"/> is <paramref name="Layer"/>.</param>
internal sealed record GatewayListener(SipListenEndPoint Bound, TransactionLayer Layer, CallEnvironment Environment);
