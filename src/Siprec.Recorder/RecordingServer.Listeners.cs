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
    private SrsListener ListenerFor(IncomingMessage incoming) => Started.FirstOrDefault(l => l.Bound.Received(incoming)) ?? Started[0];

    /// <summary>The SRS Contact for a dialog set up through <paramref name="listener"/> (<see cref="SipListenEndPoint.ContactFor"/>).</summary>
    private SipUri LocalContact(ServerTransaction transaction, SrsListener listener) =>
        listener.Bound.ContactFor(_options.UserName, transaction.Request.RequestUri);

    /// <summary>Where the SRS's BYE for <paramref name="session"/> goes: <see cref="SipTarget.ForInDialogRequest"/> with its first route, else its remote target.</summary>
    private static IReadOnlyList<SipTarget> ByeTargets(RecorderSession session, SipTransportProtocol transport)
    {
        // RFC 3261 §12.2.1.1: the first route (a record-routing proxy) when there is a route set, else the remote target.
        SipUri nextHop;
        lock (session.Dialog) nextHop = session.Dialog.RouteSet.Count > 0 ? session.Dialog.RouteSet[0].Uri : session.Dialog.RemoteTarget;
        return SipTarget.ForInDialogRequest(nextHop, session.SourceAddress, transport);
    }
}
