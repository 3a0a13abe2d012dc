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
        var bound = new List<GatewayListener>();
        try
        {
            foreach (var wanted in _options.ListenEndPoints)
            {
                var transport = CreateTransport(wanted);
                try
                {
                    var layer = new TransactionLayer(transport, router, _time, transactionOptions, _loggerFactory.CreateLogger<TransactionLayer>());
                    bound.Add(new GatewayListener(wanted with { EndPoint = transport.LocalEndPoint }, layer, environment(layer, transport.LocalEndPoint.ToString())));
                }
                catch
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
            return bound;
        }
        catch
        {
            foreach (var listener in bound) await listener.Layer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ISipTransport CreateTransport(GatewayListenEndPoint wanted)
    {
        try
        {
            return wanted.Transport switch
            {
                SipTransportProtocol.Tcp => new TcpSipTransport(wanted.EndPoint, _options.StreamTransport, _time, _loggerFactory.CreateLogger<TcpSipTransport>()),
                SipTransportProtocol.Tls => new TlsSipTransport(wanted.EndPoint, new TlsOptions { ServerCertificate = _options.TlsCertificate },
                    _options.StreamTransport, _time, _loggerFactory.CreateLogger<TlsSipTransport>()),
                _ => new UdpSipTransport(wanted.EndPoint, _loggerFactory.CreateLogger<UdpSipTransport>()),
            };
        }
        catch (SocketException ex)
        {
            Log.BindFailed(_logger, wanted.ToString(), ex.SocketErrorCode.ToString());
            throw;
        }
    }
}
