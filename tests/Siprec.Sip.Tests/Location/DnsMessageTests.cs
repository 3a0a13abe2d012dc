using System.Net;
using Siprec.Sip.Location;

namespace Siprec.Sip.Tests.Location;

public sealed class DnsMessageTests
{
    /// <summary>An answer to query 0x1234 for _sip._udp.srs.test SRV: two records, the second target compressed against the first.</summary>
    private static byte[] SrvAnswer()
    {
        var query = DnsMessage.BuildQuery(0x1234, "_sip._udp.srs.test", DnsMessage.TypeSrv);
        var bytes = new List<byte>(query);
        bytes[2] = 0x81; bytes[3] = 0x80; // QR, RD, RA
        bytes[7] = 2; // ANCOUNT
        void Answer(ushort priority, ushort port, byte[] target)
        {
            bytes.AddRange([0xC0, 12, 0, 33, 0, 1, 0, 0, 0, 60]);
            var rdata = new List<byte> { (byte)(priority >> 8), (byte)priority, 0, 10, (byte)(port >> 8), (byte)port };
            rdata.AddRange(target);
            bytes.AddRange([(byte)(rdata.Count >> 8), (byte)rdata.Count]);
            bytes.AddRange(rdata);
        }
        var firstTargetOffset = bytes.Count + 10 + 2 + 6;
        Answer(10, 5070, [3, (byte)'o', (byte)'n', (byte)'e', 3, (byte)'s', (byte)'r', (byte)'s', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0]);
        Answer(20, 5080, [3, (byte)'t', (byte)'w', (byte)'o', 0xC0, (byte)(firstTargetOffset + 4)]);
        return bytes.ToArray();
    }

    [Fact]
    public void TryRead_ReadsSrvRecords_FollowingCompressionPointers()
    {
        Assert.True(DnsMessage.TryRead(SrvAnswer(), 0x1234, out var answer, out var error), error);
        Assert.Equal([new SrvRecord(10, 10, 5070, "one.srs.test"), new SrvRecord(20, 10, 5080, "two.srs.test")], answer.Services);
    }

    [Fact]
    public void TryRead_NeverThrows_OnAnyTruncationOrMutationOfAValidAnswer()
    {
        var valid = SrvAnswer();
        for (var length = 0; length < valid.Length; length++) DnsMessage.TryRead(valid.AsSpan(0, length), 0x1234, out _, out _);
        var random = new Random(3263);
        for (var i = 0; i < 5000; i++)
        {
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            DnsMessage.TryRead(mutated, 0x1234, out _, out _);
        }
    }

    [Fact]
    public void TryRead_RejectsAPointerLoop_AndAWrongId()
    {
        var loop = SrvAnswer();
        loop[12] = 0xC0;
        loop[13] = 12;
        Assert.False(DnsMessage.TryRead(loop, 0x1234, out _, out var error));
        Assert.Contains("question name", error);
        Assert.False(DnsMessage.TryRead(SrvAnswer(), 0x4321, out _, out error));
        Assert.Contains("id", error);
    }

    [Fact]
    public void DnsOptions_ParsesServersAndResolvConf()
    {
        Assert.True(DnsOptions.TryParseServer("127.0.0.1:5353", out var a));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5353), a);
        Assert.True(DnsOptions.TryParseServer("::1", out var b));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 53), b);
        Assert.False(DnsOptions.TryParseServer("dns.example:53", out _));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nsearch example\nnameserver 192.0.2.53\nnameserver fe80::1%eth0\n");
            Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), new IPEndPoint(IPAddress.Parse("fe80::1"), 53)], DnsOptions.FromResolvConf(path).Servers);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AClientWithNoServers_FailsEachLookup_NamingTheSetting_ButStillPassesIpLiterals()
    {
        var client = new DnsClient(new DnsOptions());

        var ex = await Assert.ThrowsAsync<DnsResolutionException>(() => client.QuerySrvAsync("_sip._udp.srs.test", CancellationToken.None));

        Assert.Contains("Dns:Servers", ex.Message, StringComparison.Ordinal);
        Assert.Equal([IPAddress.Loopback], await client.QueryAddressesAsync("127.0.0.1", CancellationToken.None));
    }
}
