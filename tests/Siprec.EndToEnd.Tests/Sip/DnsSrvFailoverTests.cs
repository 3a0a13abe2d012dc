using System.Net;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Sip;

/// <summary>
/// RFC 3263 against a real DNS server: dnsmasq on 127.0.0.1 serves two SRV targets for <c>_sip._udp.srs.test</c>;
/// the preferred one is down (nothing listens), so the request fails over to the second, a real UDP SIP UAS.
/// </summary>
public sealed class DnsSrvFailoverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task SipUriWithoutPort_ResolvedBySrv_FailsOverFromTheDownTarget_ToTheSecond()
    {
        var dnsmasq = Siprec.Testing.Peers.Require("dnsmasq");
        var dnsPort = FreePorts.Udp();
        var downPort = FreePorts.Udp();

        var uasUser = new AnsweringUser();
        await using var uas = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), uasUser, TimeProvider.System, new SipTransactionOptions());
        uas.Start();
        var upPort = uas.Transport.LocalEndPoint.Port;

        using var dns = PeerProcess.Start(dnsmasq,
        [
            "--no-daemon", "--no-resolv", "--no-hosts", "--pid-file=", $"--port={dnsPort}", "--listen-address=127.0.0.1", "--bind-interfaces",
            $"--srv-host=_sip._udp.srs.test,down.srs.test,{downPort},10,10",
            $"--srv-host=_sip._udp.srs.test,up.srs.test,{upPort},20,10",
            "--host-record=down.srs.test,127.0.0.1",
            "--host-record=up.srs.test,127.0.0.1",
        ]);
        var client = new DnsClient(new DnsOptions { Servers = [new IPEndPoint(IPAddress.Loopback, dnsPort)], Timeout = TimeSpan.FromMilliseconds(300) });
        await WaitUntilServingAsync(client, dns);

        var targets = await new SipServerLocator(client).ResolveAsync(SipUri.Parse("sip:recorder@srs.test"), CancellationToken.None);
        Assert.Equal([$"udp:127.0.0.1:{downPort}", $"udp:127.0.0.1:{upPort}"], targets.Select(t => t.ToString()));

        // T1 = 50 ms: Timer F gives up on the silent target after 64*T1 = 3.2 s instead of 32 s.
        await using var src = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), new AnsweringUser(), TimeProvider.System,
            new SipTransactionOptions { T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(400) });
        src.Start();
        var request = new SipRequest(SipMethods.Options, SipUri.Parse("sip:recorder@srs.test")) { Headers =
        [
            new SipHeader("From", "<sip:src@127.0.0.1>;tag=" + SipIds.NewTag()),
            new SipHeader("To", "<sip:recorder@srs.test>"),
            new SipHeader("Call-ID", SipIds.NewCallId("127.0.0.1")),
            new SipHeader("CSeq", "1 OPTIONS"),
        ] };

        var outcome = await src.SendRequestAsync(request, targets).WaitAsync(Wait);

        Assert.True(outcome.IsSuccess, $"{outcome.Kind} {outcome.StatusCode} {outcome.Error}");
        var received = Assert.Single(uasUser.Requests);
        Assert.Equal(request.CallId, received.CallId);
    }

    private static async Task WaitUntilServingAsync(DnsClient client, PeerProcess dns)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            try
            {
                if ((await client.QuerySrvAsync("_sip._udp.srs.test", CancellationToken.None)).Count == 2) return;
            }
            catch (DnsResolutionException) when (DateTime.UtcNow < deadline && !dns.HasExited)
            {
            }
            Assert.False(dns.HasExited, "dnsmasq exited: " + dns.StandardError);
            Assert.True(DateTime.UtcNow < deadline, "dnsmasq did not serve the SRV records in time: " + dns.StandardError);
            await Task.Delay(100);
        }
    }

    /// <summary>A UAS that answers every request 200 and keeps what it received.</summary>
    private sealed class AnsweringUser : ITransactionUser
    {
        public System.Collections.Concurrent.ConcurrentQueue<SipRequest> Requests { get; } = new();

        public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
        {
            Requests.Enqueue(transaction.Request);
            await transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, 200, toTag: SipIds.NewTag()), cancellationToken);
        }

        public void OnAck(IncomingMessage ack)
        {
        }

        public void OnStrayResponse(IncomingMessage response)
        {
        }

        public void OnCancelled(ServerTransaction inviteTransaction)
        {
        }
    }
}
