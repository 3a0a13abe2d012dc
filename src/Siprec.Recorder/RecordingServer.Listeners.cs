using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>The SIP listeners (RFC 3261 §18): binding them, the Contact each one answers with, where a session's BYE goes.</summary>
public sealed partial class RecordingServer
{
    private IReadOnlyList<SrsListener> Started => _listeners ?? throw new InvalidOperationException("the recording server is not started");

    /// <summary>Binds every configured listener, each with its own transaction layer; on a failure closes those bound so far.</summary>
    private async Task<IReadOnlyList<SrsListener>> BindListenersAsync()
    {
        var bound = await SipListenerBinding.BindAsync(_options.ListenEndPoints,
            wanted => SipListeners.CreateTransport(wanted, _options.TlsCertificate, _options.StreamTransport, _time, _loggerFactory),
            transport => new TransactionLayer(transport, this, _time, _options.Transactions, _loggerFactory.CreateLogger<TransactionLayer>())).ConfigureAwait(false);
        return bound.Select(b => new SrsListener(b.Bound, b.Layer)).ToList();
    }

    /// <summary>The listener a request arrived on: the one whose transport and bound address match its envelope.</summary>
    private SrsListener ListenerFor(IncomingMessage incoming)
    {
        var listeners = Started;
        return listeners.FirstOrDefault(l => l.Bound.EndPoint.Equals(incoming.Local)
                                             && SipTarget.ProtocolName(l.Bound.Transport).Equals(incoming.Transport, StringComparison.OrdinalIgnoreCase))
               ?? listeners[0];
    }

    /// <summary>
    /// The SRS Contact for a dialog set up through <paramref name="listener"/>: its scheme and transport (sips: for TLS,
    /// RFC 3261 §8.1.1.8), its port, and its address, or when that is a wildcard the host the SRC addressed.
    /// </summary>
    private SipUri LocalContact(ServerTransaction transaction, SrsListener listener)
    {
        var address = listener.Bound.EndPoint.Address;
        var requestHost = transaction.Request.RequestUri.Host;
        var host = IsWildcard(address) && requestHost.Length > 0 ? requestHost : null;
        return listener.Bound.ToUri(_options.UserName, host);
    }

    /// <summary>
    /// Where the SRS's BYE for <paramref name="session"/> goes, over the transport its INVITE used. UDP: the remote
    /// target when it is an IP literal, else the signalling source. TCP/TLS: first the connection the INVITE came in
    /// on (the SRC may have no listener or certificate of its own; RFC 5923 §1), then the remote target when that
    /// connection is gone (the layer fails over on a transport error, RFC 3263 §4.3).
    /// </summary>
    private static IReadOnlyList<SipTarget> ByeTargets(RecorderSession session, SipTransportProtocol transport)
    {
        SipUri remoteTarget;
        lock (session.Dialog) remoteTarget = session.Dialog.RemoteTarget;
        var defaultPort = transport == SipTransportProtocol.Tls ? 5061 : 5060;
        var remote = IPAddress.TryParse(remoteTarget.Host.Trim('[', ']'), out var address)
            ? new SipTarget(new IPEndPoint(address, remoteTarget.Port ?? defaultPort), transport)
            : null;
        var connection = new SipTarget(session.SourceAddress, transport);
        if (transport == SipTransportProtocol.Udp) return [remote ?? connection];
        return remote is null || remote.EndPoint.Equals(connection.EndPoint) ? [connection] : [connection, remote];
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
