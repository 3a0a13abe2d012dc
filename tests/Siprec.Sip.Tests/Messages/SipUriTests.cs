using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Messages;

public sealed class SipUriTests
{
    [Theory]
    [InlineData("sip:alice@atlanta.com")]
    [InlineData("sips:alice:secret@atlanta.com:5061;transport=tcp;lr?subject=project&priority=urgent")]
    [InlineData("sip:[2001:db8::1]:5070;maddr=239.255.255.1")]
    [InlineData("sip:192.0.2.1")]
    [InlineData("tel:+1-201-555-0123")]
    public void ToString_RoundTripsTheText(string text)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.Equal(text, uri!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice@atlanta.com")]
    [InlineData("sip:")]
    [InlineData("sip:alice@host:99999")]
    [InlineData("<sip:alice@host>")]
    [InlineData("sip:alice@ho st")]
    public void TryParse_RejectsMalformedUris(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Fact]
    public void Parse_ThrowsFormatExceptionNamingTheText()
    {
        var ex = Assert.Throws<FormatException>(() => SipUri.Parse("nonsense"));
        Assert.Contains("nonsense", ex.Message);
    }

    [Fact]
    public void Transport_IsLowerCase() => Assert.Equal("tcp", SipUri.Parse("sip:a@b;transport=TCP").Transport);

    [Fact]
    public void NameAddress_ParametersOutsideBracketsBelongToTheHeader()
    {
        Assert.True(NameAddress.TryParse("<sip:u@h;transport=udp>;expires=60", out var inside));
        Assert.Equal("udp", inside!.Uri.Transport);
        Assert.Equal("60", inside.GetParameter("expires"));
        Assert.True(NameAddress.TryParse("sip:u@h;tag=5", out var bare));
        Assert.Equal("5", bare!.Tag);
        Assert.Empty(bare.Uri.Parameters);
        Assert.Equal("<sip:u@h>;tag=9", bare.WithTag("9").ToString());
    }

    [Fact]
    public void Via_ToString_WritesSentByAndParameters()
    {
        Assert.True(Via.TryParse("SIP / 2.0 / udp  host.example.com : 5070 ; branch=z9hG4bKx ; rport=1234 ; received=192.0.2.9", out var via));
        Assert.Equal("SIP/2.0/UDP host.example.com:5070;branch=z9hG4bKx;rport=1234;received=192.0.2.9", via!.ToString());
        Assert.Equal(1234, via.RPort);
        Assert.Equal("192.0.2.9", via.Received);
    }
}
