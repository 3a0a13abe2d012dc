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
    // Another loopback address, so the SRS can tell the edge's packets from the gateway's own SRC (127.0.0.1).
    private static readonly IPAddress DublinAddress = IPAddress.Parse("127.0.0.2");
    private static readonly SipListenEndPoint Dublin = new(SipTransportProtocol.Udp, new IPEndPoint(DublinAddress, 0));

    [Fact]
    public async Task AnEdgeOnAConnectorUri_IsStrippedFromTheRequestUri_AndTheRecordingLeavesFromTheEdge()
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
        Assert.Equal(DublinAddress, h.Srs.SrcEndPoint?.Address);
        Assert.Equal(DublinAddress.ToString(), invite.Body.Length > 0 ? SdpConnectionAddress(invite) : null); // RTP from the edge too
        var line = Assert.Single(logs.Lines, l => l.EventId == 1002);
        Assert.Contains("edged", line.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2:", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectorWithoutAnEdge_LeavesFromTheGatewaysOwnSrc()
    {
        await using var h = await RestHarness.StartAsync(configure: o =>
        {
            o.Connectors.Connectors["edged"] = new SrsConnector { Uris = [o.Connectors.Connectors["ok"].Uris[0] + ";edge=dublin"] };
            return o with { Edges = new Dictionary<string, SipListenEndPoint> { ["dublin"] = Dublin } };
        });

        var (status, _) = await h.SendAsync(h.Path(), [("ConnectorName", "ok")]);

        Assert.Equal(HttpStatusCode.Created, status);
        await h.Srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.Equal(IPAddress.Loopback, h.Srs.SrcEndPoint?.Address);
    }

    // The c= address of the offer's first media section (RFC 4566 §5.7), found in the multipart body's SDP part.
    private static string? SdpConnectionAddress(Siprec.Sip.Messages.SipRequest invite)
    {
        var text = System.Text.Encoding.UTF8.GetString(invite.Body.Span);
        var line = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("c=IN IP4 ", StringComparison.Ordinal));
        return line?["c=IN IP4 ".Length..].Trim();
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
