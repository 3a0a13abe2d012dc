using Microsoft.Extensions.Logging;
using System.Net.Sockets;
using Siprec.Gateway.Calls;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway;

/// <summary>The gateway's SIP listeners for calls (RFC 3261 §18): binding them, each with its own transaction layer.</summary>
public sealed partial class RecordingGateway
{
    /// <summary>
    /// Binds every configured listener, each with its own transaction layer whose user is <paramref name="router"/>
    /// and whose calls share <paramref name="environment"/> with that layer and the listener's address as warn-agent.
    /// On a failure closes those bound so far.
    /// </summary>
    /// <exception cref="SocketException">An address cannot be bound (in use, not local); logged with the listener.</exception>
    private async Task<IReadOnlyList<GatewayListener>> BindListenersAsync(CallRouter router, SipTransactionOptions transactionOptions,
        Func<TransactionLayer, string, CallEnvironment> environment)
    {
        var bound = await SipListenerBinding.BindAsync(_options.ListenEndPoints,
            wanted => SipListeners.CreateTransport(wanted, _options.TlsCertificate, _options.StreamTransport, _time, _loggerFactory),
            transport => new TransactionLayer(transport, router, _time, transactionOptions, _loggerFactory.CreateLogger<TransactionLayer>())).ConfigureAwait(false);
        return bound.Select(b => new GatewayListener(b.Bound, b.Layer, environment(b.Layer, b.Bound.EndPoint.ToString()))).ToList();
    }
}
