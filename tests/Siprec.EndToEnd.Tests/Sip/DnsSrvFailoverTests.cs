using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Control;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Recorder;
using Siprec.Recording;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.Sip;

/// <summary>
/// RFC 3263 against a real DNS server: dnsmasq on 127.0.0.1 serves two SRV targets for <c>_sip._udp.srs.test</c>;
/// the preferred one is down (nothing listens) or silent (a UDP socket that never answers), so the request fails over to
/// the second, a real UDP SIP UAS or the embedded SRS.
/// </summary>
public sealed class DnsSrvFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task SipUriWithoutPort_ResolvedBySrv_FailsOverFromTheDownTarget_ToTheSecond()
    {
        var downPort = FreePorts.Udp();

        var uasUser = new AnsweringUser();
        await using var uas = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), uasUser, TimeProvider.System, new SipTransactionOptions());
        uas.Start();
        var upPort = uas.Transport.LocalEndPoint.Port;

        using var dns = await Dnsmasq.StartAsync(("down", downPort, 10), ("up", upPort, 20));
        var client = new DnsClient(new DnsOptions { Servers = [new IPEndPoint(IPAddress.Loopback, dns.Port)], Timeout = TimeSpan.FromMilliseconds(300) });

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

    [SkippableFact]
    public async Task RecordingStart_WhenThePriority10TargetIsSilent_StartsOnThePriority20Srs_InsideTheNoAnswerWindow()
    {
        // Bound and never read: the SRC's INVITE and its retransmissions vanish there (no ICMP error, no answer).
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var silentPort = ((IPEndPoint)silent.LocalEndPoint!).Port;

        var work = Directory.CreateTempSubdirectory("siprec-srv-failover-");
        var completed = new TaskCompletionSource<RecordedSessionSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var srs = new RecordingServer(
            new RecordingServerOptions
            {
                SipEndPoint = null,
                AdditionalListenEndPoints = [new SipListenEndPoint(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
                MediaAddress = IPAddress.Loopback,
                OutputDirectory = work.FullName,
            },
            TimeProvider.System, NullLoggerFactory.Instance);
        srs.SessionCompleted += s => completed.TrySetResult(s);
        await srs.StartAsync(CancellationToken.None);
        var srsPort = Assert.Single(srs.ListenEndPoints).EndPoint.Port;

        using var dns = await Dnsmasq.StartAsync(("silent", silentPort, 10), ("up", srsPort, 20));
        var dnsClient = new DnsClient(new DnsOptions { Servers = [new IPEndPoint(IPAddress.Loopback, dns.Port)], Timeout = TimeSpan.FromMilliseconds(300) });
        // Also warms the resolver, so the window measured below is spent on SIP, not on a first DNS round trip.
        var targets = await new SipServerLocator(dnsClient).ResolveAsync(SipUri.Parse("sip:recorder@srs.test"), CancellationToken.None);
        Assert.Equal([$"udp:127.0.0.1:{silentPort}", $"udp:127.0.0.1:{srsPort}"], targets.Select(t => t.ToString()));

        // The SRC as the gateway runs it: default T1 (500 ms) and no-answer timeout (2 s), SRV location through dnsmasq.
        var options = new SrcOptions();
        await using var client = new SiprecClient(options, TimeProvider.System, NullLoggerFactory.Instance, new SipServerLocator(dnsClient));
        await client.StartAsync(CancellationToken.None);
        await using var session = client.CreateSession(new RecordedCall("srv-failover@127.0.0.1",
            new NameAddress(null, SipUri.Parse("sip:alice@127.0.0.1"), []).WithTag("a1"),
            new NameAddress(null, SipUri.Parse("sip:bot@127.0.0.1"), []).WithTag("b1"), DateTimeOffset.UtcNow));
        const string recordingId = "rec-srv-failover";

        var clock = Stopwatch.StartNew();
        var result = await session.StartAsync(new RecordingControlRequest
        {
            Action = RecordingAction.Start,
            SrsUris = ["sip:recorder@srs.test"],
            RecordingId = recordingId,
        }, CancellationToken.None).WaitAsync(Wait);
        clock.Stop();
        output.WriteLine($"time to start with a silent priority-10 target: {clock.ElapsedMilliseconds} ms (no-answer window {options.NoAnswerTimeout.TotalMilliseconds} ms)");

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        Assert.False(result.TimedOut);
        Assert.Equal(SrsOutcomeKind.Accepted, Assert.Single(result.Outcomes).Kind);
        Assert.True(silent.Available > 0, "the priority-10 target was never tried"); // its INVITEs wait unread in the socket
        await session.StopAsync(CancellationToken.None).WaitAsync(Wait);
        var recorded = await completed.Task.WaitAsync(Wait);
        Assert.True(recorded.Complete);
        Assert.Equal(recordingId, recorded.RecordingId);
        Assert.Contains(recordingId, await File.ReadAllTextAsync(recorded.JsonPath));
        Assert.StartsWith(work.FullName, recorded.JsonPath);
        work.Delete(recursive: true);
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
