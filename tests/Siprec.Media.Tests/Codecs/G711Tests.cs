using Siprec.Media.Codecs;

namespace Siprec.Media.Tests.Codecs;

public sealed class G711Tests
{
    [Theory]
    [InlineData((short)0, (byte)0xFF)]
    [InlineData((short)-1, (byte)0x7F)]
    [InlineData((short)32767, (byte)0x80)]
    [InlineData((short)-32768, (byte)0x00)]
    public void LinearToMuLaw_MatchesTheStandardCodes(short linear, byte expected) =>
        Assert.Equal(expected, G711.LinearToMuLaw(linear));

    [Theory]
    [InlineData((byte)0x00, (short)-32124)]
    [InlineData((byte)0x80, (short)32124)]
    [InlineData((byte)0xFF, (short)0)]
    [InlineData((byte)0x7F, (short)0)]
    [InlineData((byte)0xEF, (short)132)]
    [InlineData((byte)0xFE, (short)8)]
    public void MuLawToLinear_MatchesTheStandardValues(byte code, short expected) =>
        Assert.Equal(expected, G711.MuLawToLinear(code));

    [Theory]
    [InlineData((short)0, (byte)0xD5)]
    [InlineData((short)-1, (byte)0x55)]
    [InlineData((short)32767, (byte)0xAA)]
    [InlineData((short)-32768, (byte)0x2A)]
    public void LinearToALaw_MatchesTheStandardCodes(short linear, byte expected) =>
        Assert.Equal(expected, G711.LinearToALaw(linear));

    [Theory]
    [InlineData((byte)0xD5, (short)8)]
    [InlineData((byte)0x55, (short)-8)]
    [InlineData((byte)0xAA, (short)32256)]
    [InlineData((byte)0x2A, (short)-32256)]
    public void ALawToLinear_MatchesTheStandardValues(byte code, short expected) =>
        Assert.Equal(expected, G711.ALawToLinear(code));

    [Fact]
    public void MuLaw_EncodeOfDecode_ReturnsEveryCode_ExceptNegativeZeroWhichBecomesPositiveZero()
    {
        for (int code = 0; code < 256; code++)
        {
            byte expected = code == 0x7F ? (byte)0xFF : (byte)code;
            Assert.Equal(expected, G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)));
        }
    }

    [Fact]
    public void ALaw_EncodeOfDecode_ReturnsEveryCode()
    {
        for (int code = 0; code < 256; code++)
            Assert.Equal((byte)code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
    }

    [Fact]
    public void BothLaws_QuantizeMonotonically_AcrossTheWholeSixteenBitRange()
    {
        short previousMu = short.MinValue, previousA = short.MinValue;
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            short mu = G711.MuLawToLinear(G711.LinearToMuLaw((short)s));
            short a = G711.ALawToLinear(G711.LinearToALaw((short)s));
            Assert.True(mu >= previousMu, $"mu-law not monotonic at {s}");
            Assert.True(a >= previousA, $"A-law not monotonic at {s}");
            previousMu = mu;
            previousA = a;
        }
    }

    [Fact]
    public void BothLaws_KeepQuietSignalsWithinTheirFinestStep()
    {
        for (short s = -200; s <= 200; s++)
        {
            Assert.InRange(G711.MuLawToLinear(G711.LinearToMuLaw(s)) - s, -8, 8);
            Assert.InRange(G711.ALawToLinear(G711.LinearToALaw(s)) - s, -16, 16);
        }
    }

    [Fact]
    public void SpanEncodeAndDecode_AgreeWithTheScalarFunctions()
    {
        short[] pcm = [0, 1, -1, 1000, -1000, 32767, -32768, 12345];
        var mu = new byte[pcm.Length];
        var a = new byte[pcm.Length];
        G711.EncodeMuLaw(pcm, mu);
        G711.EncodeALaw(pcm, a);
        var muBack = new short[pcm.Length];
        var aBack = new short[pcm.Length];
        G711.DecodeMuLaw(mu, muBack);
        G711.DecodeALaw(a, aBack);
        for (int i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(G711.LinearToMuLaw(pcm[i]), mu[i]);
            Assert.Equal(G711.LinearToALaw(pcm[i]), a[i]);
            Assert.Equal(G711.MuLawToLinear(mu[i]), muBack[i]);
            Assert.Equal(G711.ALawToLinear(a[i]), aBack[i]);
        }
    }

    [Fact]
    public void SpanEncode_RejectsADestinationThatIsTooShort() =>
        Assert.Throws<ArgumentException>(() => G711.EncodeMuLaw(new short[4], new byte[3]));

    [Fact]
    public void TryDecode_RefusesPayloadTypesOtherThanG711() =>
        Assert.False(G711.TryDecode(18, new byte[2], new short[2]));
}
