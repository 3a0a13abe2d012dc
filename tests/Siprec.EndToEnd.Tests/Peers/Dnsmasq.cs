using System.Net;
using Siprec.Sip.Location;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>
/// dnsmasq on 127.0.0.1 serving <c>_sip._udp.srs.test</c> SRV records (each target an A record on 127.0.0.1), for RFC 3263
/// location tests; stopped by its PID on dispose.
/// </summary>
internal sealed class Dnsmasq : IDisposable
{
    private static readonly TimeSpan ServeLimit = TimeSpan.FromSeconds(30);
    private readonly PeerProcess _process;

    private Dnsmasq(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The UDP port it answers on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The SRV owner name served.</summary>
    public const string SrvName = "_sip._udp.srs.test";

    /// <summary>
    /// Starts dnsmasq with one SRV record per target (<c>{name}.srs.test</c> at <paramref name="targets"/>' port, priority,
    /// weight 10) and waits (bounded) until it answers the SRV query with all of them.
    /// </summary>
    public static async Task<Dnsmasq> StartAsync(params (string Name, int Port, int Priority)[] targets)
    {
        var program = Siprec.Testing.Peers.Require("dnsmasq");
        var port = FreePorts.Udp();
        List<string> args = ["--no-daemon", "--no-resolv", "--no-hosts", "--pid-file=", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces"];
        foreach (var (name, targetPort, priority) in targets)
        {
            args.Add($"--srv-host={SrvName},{name}.srs.test,{targetPort},{priority},10");
            args.Add($"--host-record={name}.srs.test,127.0.0.1");
        }
        var dns = new Dnsmasq(PeerProcess.Start(program, args), port);
        var client = new DnsClient(new DnsOptions { Servers = [new IPEndPoint(IPAddress.Loopback, port)], Timeout = TimeSpan.FromMilliseconds(300) });
        try
        {
            await Poll.UntilAsync(() => dns._process.HasExited || Serves(client, targets.Length), ServeLimit, "dnsmasq to serve the SRV records");
            if (dns._process.HasExited) throw new InvalidOperationException("dnsmasq exited: " + dns._process.StandardError);
            return dns;
        }
        catch
        {
            dns.Dispose();
            throw;
        }
    }

    private static bool Serves(DnsClient client, int count)
    {
        try
        {
            return client.QuerySrvAsync(SrvName, CancellationToken.None).GetAwaiter().GetResult().Count == count;
        }
        catch (DnsResolutionException)
        {
            return false;
        }
    }

    /// <summary>Stops dnsmasq by its PID.</summary>
    public void Dispose() => _process.Dispose();
}
