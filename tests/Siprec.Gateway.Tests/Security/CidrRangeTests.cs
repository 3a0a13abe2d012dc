using System.Net;
using Siprec.Gateway.Security;

namespace Siprec.Gateway.Tests.Security;

public sealed class CidrRangeTests
{
    [Theory]
    [InlineData("127.0.0.1/8", "127.9.8.7", true)]
    [InlineData("127.0.0.1/8", "128.0.0.1", false)]
    [InlineData("10.1.2.0/24", "10.1.2.255", true)]
    [InlineData("10.1.2.0/24", "10.1.3.0", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData("0.0.0.0/0", "203.0.113.1", true)]
    [InlineData("::1/128", "::1", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("127.0.0.1/8", "::ffff:127.0.0.1", true)]
    [InlineData("::1/128", "127.0.0.1", false)]
    public void Contains_MatchesTheAddressesInsideThePrefixOnly(string range, string address, bool expected)
    {
        Assert.True(CidrRange.TryParse(range, out var parsed, out var error), error);
        Assert.Equal(expected, parsed!.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("::1/129")]
    [InlineData("10.0.0.0/x")]
    public void TryParse_RefusesWhatIsNotARange_WithAReason(string text)
    {
        Assert.False(CidrRange.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TrustedPeerList_Parse_NamesTheBadEntry()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrustedPeerList.Parse(["127.0.0.1/8", "not-an-ip"]));
        Assert.Contains("not-an-ip", ex.Message, StringComparison.Ordinal);
    }
}
