using System.Net;
using System.Net.Sockets;
using Siprec.Media.Rtp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Rtp;

/// <summary>The operator's RTP port range (<c>media.portRange</c>, <c>--rtp-ports</c>): parsing, binding inside it, running out.</summary>
public sealed class RtpPortRangeTests
{
    [Theory]
    [InlineData("20000-29999", 20000, 29999, 5000)]
    [InlineData("20001-20004", 20001, 20004, 1)]
    [InlineData(" 40000 - 40003 ", 40000, 40003, 2)]
    public void TryParse_ReadsLoHi_AndCountsEvenOddPairs(string text, int low, int high, int pairs)
    {
        Assert.True(RtpPortRange.TryParse(text, out var range, out var error), error);
        Assert.Equal(low, range!.Low);
        Assert.Equal(high, range.High);
        Assert.Equal(pairs, range.Pairs);
    }

    [Theory]
    [InlineData("", "is not LO-HI")]
    [InlineData("20000", "is not LO-HI")]
    [InlineData("20000-x", "is not LO-HI")]
    [InlineData("-1-5", "is not LO-HI")]
    [InlineData("30000-20000", "LO below HI")]
    [InlineData("0-100", "1 to 65535")]
    [InlineData("20000-70000", "1 to 65535")]
    [InlineData("20001-20002", "no even RTP port")]
    public void TryParse_RefusesWhatIsNotARange_SayingWhy(string text, string why)
    {
        Assert.False(RtpPortRange.TryParse(text, out var range, out var error));
        Assert.Null(range);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindPair_InARange_TakesAnEvenPortAndTheOddOneAfterIt_InsideTheRange()
    {
        var range = FreePortRange.Find(3);
        var taken = new List<(RtpSocket Rtp, RtpSocket Rtcp)>();
        try
        {
            for (int i = 0; i < 3; i++) taken.Add(RtpSocket.BindPair(IPAddress.Loopback, range, null));
            foreach (var (rtp, rtcp) in taken)
            {
                Assert.Equal(0, rtp.LocalEndPoint.Port % 2);
                Assert.Equal(rtp.LocalEndPoint.Port + 1, rtcp.LocalEndPoint.Port);
                Assert.True(range.Contains(rtp.LocalEndPoint.Port) && range.Contains(rtcp.LocalEndPoint.Port));
            }
            Assert.Equal(3, taken.Select(t => t.Rtp.LocalEndPoint.Port).Distinct().Count());
        }
        finally
        {
            foreach (var (rtp, rtcp) in taken)
            {
                await rtp.DisposeAsync();
                await rtcp.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AFullRange_ThrowsRtpPortsExhausted_NamingTheRange_AndAReleasedPairIsUsedAgain()
    {
        var range = FreePortRange.Find(2);
        var (rtp1, rtcp1) = RtpSocket.BindPair(IPAddress.Loopback, range, null);
        var single = RtpSocket.Bind(IPAddress.Loopback, range, null);
        try
        {
            var full = Assert.Throws<RtpPortsExhaustedException>(() => RtpSocket.BindPair(IPAddress.Loopback, range, null));
            Assert.Same(range, full.Range);
            Assert.Equal(SocketError.AddressNotAvailable, full.SocketErrorCode);
            Assert.Contains($"RTP port range {range}", full.Message, StringComparison.Ordinal);
            Assert.Throws<RtpPortsExhaustedException>(() => RtpSocket.Bind(IPAddress.Loopback, range, null));

            await rtp1.DisposeAsync();
            await rtcp1.DisposeAsync();
            var (rtp2, rtcp2) = RtpSocket.BindPair(IPAddress.Loopback, range, null);
            Assert.True(range.Contains(rtp2.LocalEndPoint.Port));
            await rtp2.DisposeAsync();
            await rtcp2.DisposeAsync();
        }
        finally
        {
            await single.DisposeAsync();
            await rtp1.DisposeAsync();
            await rtcp1.DisposeAsync();
        }
    }

    [Fact]
    public async Task APairWhoseOddPortIsTakenByAnotherProgram_IsSkipped()
    {
        var range = FreePortRange.Find(2);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, range.Low + 1));

        var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback, range, null);
        await using (rtp)
        await using (rtcp)
        {
            Assert.Equal(range.Low + 2, rtp.LocalEndPoint.Port);
            Assert.Throws<RtpPortsExhaustedException>(() => RtpSocket.BindPair(IPAddress.Loopback, range, null));
        }
    }
}
