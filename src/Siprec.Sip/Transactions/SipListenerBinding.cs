using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>Binds a SIP server's listeners, one <see cref="TransactionLayer"/> each, all or none (RFC 3261 §18).</summary>
public static class SipListenerBinding
{
    /// <summary>
    /// Binds every listener in <paramref name="wanted"/> in order and puts a transaction layer on each. One layer per
    /// listener, so a response or in-dialog request leaves over the listener (and connection) its dialog came in on.
    /// On a failure the layers bound so far are disposed and the exception is rethrown.
    /// </summary>
    /// <param name="wanted">The listeners, e.g. from <see cref="SipListeners.Combine"/>.</param>
    /// <param name="createTransport">Binds one listener, e.g. with <see cref="SipListeners.CreateTransport"/>.</param>
    /// <param name="createLayer">Puts the server's transaction layer on a bound transport (the layer then owns it).</param>
    /// <returns>Each listener as bound (its real port when 0 was asked) with its layer, in <paramref name="wanted"/>'s order.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">An address cannot be bound.</exception>
    public static async Task<IReadOnlyList<(SipListenEndPoint Bound, TransactionLayer Layer)>> BindAsync(IReadOnlyList<SipListenEndPoint> wanted,
        Func<SipListenEndPoint, ISipTransport> createTransport, Func<ISipTransport, TransactionLayer> createLayer)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var bound = new List<(SipListenEndPoint, TransactionLayer)>();
        try
        {
            foreach (var listener in wanted)
            {
                var transport = createTransport(listener);
                try
                {
                    bound.Add((listener with { EndPoint = transport.LocalEndPoint }, createLayer(transport)));
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
            foreach (var (_, layer) in bound) await layer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
