using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Recording;
using Siprec.Recording.Connectors;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Calls;

/// <summary>
/// Twilio's edges as egresses: one SIPREC client per configured edge that a connector names (<c>;edge=NAME</c>, resolved by
/// <see cref="Configuration.ConnectorEdges"/>), bound to the edge's address and port, so a recording for that connector
/// leaves the gateway from there: its SIP (UDP from the edge's port, TCP/TLS from its address) and its RTP (the edge's
/// address). Connectors without an edge use the gateway's own SRC.
/// </summary>
internal sealed class EdgeEgress : IAsyncDisposable
{
    private readonly Dictionary<string, SiprecClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Binds one SIPREC client per edge used by <paramref name="connectors"/>.</summary>
    /// <param name="connectors">The resolved connectors (their <see cref="SrsConnector.Edge"/> set).</param>
    /// <param name="edges">The configured edges by name.</param>
    /// <param name="template">The gateway SRC's options; each edge's copy changes only the bind address, port and media address.</param>
    /// <param name="create">Makes a client from options (the gateway passes its clock, loggers and SRS locator).</param>
    /// <param name="ct">Cancels the binds.</param>
    /// <exception cref="System.Net.Sockets.SocketException">An edge's address or port cannot be bound (a configuration error naming it in the log).</exception>
    public static async Task<EdgeEgress> StartAsync(SrsConnectorOptions connectors, IReadOnlyDictionary<string, SipListenEndPoint> edges,
        SrcOptions template, Func<SrcOptions, SiprecClient> create, CancellationToken ct)
    {
        var egress = new EdgeEgress();
        try
        {
            foreach (var name in connectors.Connectors.Values.Select(c => c.Edge).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var at = edges[name].EndPoint;
                var client = create(template with
                {
                    SipEndPoint = at,
                    MediaAddress = at.Address.Equals(IPAddress.Any) || at.Address.Equals(IPAddress.IPv6Any) ? template.MediaAddress : at.Address,
                });
                egress._clients[name] = client;
                await client.StartAsync(ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await egress.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return egress;
    }

    /// <summary>The edges bound, by name, with the UDP end point each SRC listens and sends on.</summary>
    public IEnumerable<(string Edge, IPEndPoint SipEndPoint)> Bound => _clients.Select(c => (c.Key, c.Value.SipEndPoint));

    /// <summary>The client a recording for <paramref name="connector"/> is made by: its edge's, else <paramref name="fallback"/>.</summary>
    public SiprecClient For(SrsConnector? connector, SiprecClient fallback) =>
        connector?.Edge is { } edge && _clients.TryGetValue(edge, out var client) ? client : fallback;

    /// <summary>Closes every edge's SRC.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        _clients.Clear();
    }
}
