using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Gateway.Tests.Support;
using Siprec.Recording.Connectors;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>Issue 13: Twilio's <c>;edge=NAME</c> on a connector URI names a configured egress and never reaches the SRS.</summary>
public sealed class ConnectorEdgeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly SipListenEndPoint Dublin = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090));

    [Fact]
    public async Task AnEdgeOnAConnectorUri_IsStrippedFromTheRequestUri_AndLoggedAsNotYetRouted()
    {
        var logs = new ListLoggerFactory();
        await using var h = await RestHarness.StartAsync(loggerFactory: logs, configure: o =>
        {
            o.Connectors.Connectors["edged"] = new SrsConnector { Uris = [o.Connectors.Connectors["ok"].Uris[0] + ";edge=dublin"] };
            return o with { Edges = new Dictionary<string, SipListenEndPoint> { ["dublin"] = Dublin } };
        });

        var (status, _) = await h.SendAsync(h.Path(), [("ConnectorName", "edged")]);

        Assert.Equal(HttpStatusCode.Created, status);
        var invite = await h.Srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.DoesNotContain("edge", invite.RequestUri.ToString(), StringComparison.OrdinalIgnoreCase);
        var line = Assert.Single(logs.Lines, l => l.EventId == 1002);
        Assert.Contains("edged", line.Message, StringComparison.Ordinal);
        Assert.Contains(Dublin.ToString(), line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownEdge_FailsTheStart_NamingTheConnector()
    {
        var options = new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Connectors = new SrsConnectorOptions { Connectors = { ["acme"] = new SrsConnector { Uris = ["sip:srs@127.0.0.1:5999;edge=sydney"] } } },
        };
        await using var gateway = new RecordingGateway(options, TimeProvider.System, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => gateway.StartAsync(CancellationToken.None));

        Assert.StartsWith("connector 'acme': edge 'sydney' is not one of the configured edges", error.Message, StringComparison.Ordinal);
    }
}
