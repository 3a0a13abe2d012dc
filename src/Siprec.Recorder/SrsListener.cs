using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>
/// One bound SIP listener of the SRS with its own transaction layer, so a session's requests (BYE) leave on the
/// transport and connection its INVITE came in on (RFC 3261 §18.3: TCP/TLS connections are per transport).
/// </summary>
/// <param name="Bound">The listener with its real port.</param>
/// <param name="Layer">The transaction layer over this listener's transport; disposing it closes the transport.</param>
internal sealed record SrsListener(SipListenEndPoint Bound, TransactionLayer Layer);
