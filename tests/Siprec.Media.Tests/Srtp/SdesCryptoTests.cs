using Siprec.Media.Srtp;

namespace Siprec.Media.Tests.Srtp;

public sealed class SdesCryptoTests
{
    private const string Rfc4568Example = "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32";

    [Fact]
    public void FormatThenParse_GivesTheSameTagSuiteAndKey()
    {
        var crypto = SdesCrypto.CreateRandom(3, SrtpCryptoSuite.AesCm128HmacSha1_32);

        string value = crypto.FormatAttributeValue();

        Assert.StartsWith("3 AES_CM_128_HMAC_SHA1_32 inline:", value);
        Assert.True(SdesCrypto.TryParse(value, out var parsed, out var error), error);
        Assert.Equal(3, parsed!.Tag);
        Assert.Equal(SrtpCryptoSuite.AesCm128HmacSha1_32, parsed.Suite);
        Assert.Equal(crypto.MasterKey.KeyAndSalt.ToArray(), parsed.MasterKey.KeyAndSalt.ToArray());
    }

    [Fact]
    public void CreateRandom_GivesAFreshKeyEachTime()
    {
        Assert.NotEqual(SdesCrypto.CreateRandom().MasterKey.KeyAndSalt.ToArray(), SdesCrypto.CreateRandom().MasterKey.KeyAndSalt.ToArray());
    }

    [Fact]
    public void TryParse_AcceptsALifetimeAndSessionParameters()
    {
        Assert.True(SdesCrypto.TryParse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20 KDR=0", out var crypto, out var error), error);
        Assert.Equal("3D2D6E40255E782142 6A7566723929 3F2C23 35685C603D265D7B7169 5051".Replace(" ", ""),
            Convert.ToHexString(crypto!.MasterKey.KeyAndSalt));
    }

    [Theory]
    [InlineData("", "field")]
    [InlineData("x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", "tag 'x'")]
    [InlineData("1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", "suite 'F8_128_HMAC_SHA1_80'")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 uri:https://keys", "inline")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=", "30 bytes")]
    [InlineData(Rfc4568Example, "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNENCRYPTED_SRTP", "'UNENCRYPTED_SRTP'")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR KDR=24", "'KDR=24'")]
    public void TryParse_RefusesWithAReasonNamingTheField(string value, string expected)
    {
        Assert.False(SdesCrypto.TryParse(value, out var crypto, out var error));
        Assert.Null(crypto);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", error);
    }

    [Fact]
    public void ToString_RedactsTheKey()
    {
        var crypto = SdesCrypto.CreateRandom();

        string text = crypto.ToString();

        Assert.Equal("1 AES_CM_128_HMAC_SHA1_80 inline:(redacted)", text);
        Assert.DoesNotContain(Convert.ToBase64String(crypto.MasterKey.KeyAndSalt), text);
    }
}
