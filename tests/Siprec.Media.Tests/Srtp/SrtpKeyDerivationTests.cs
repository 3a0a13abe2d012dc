using System.Security.Cryptography;
using Siprec.Media.Srtp;

namespace Siprec.Media.Tests.Srtp;

public sealed class SrtpKeyDerivationTests
{
    [Fact]
    public void Derive_MatchesRfc3711AppendixB3()
    {
        var master = new SrtpMasterKey(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6"));

        var keys = SrtpSessionKeys.Derive(master);

        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(keys.Encryption));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(keys.Authentication));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(keys.Salt));
    }

    // RFC 3711 B.3 gives only labels 0-2; these were computed with `openssl enc -aes-128-ctr` (IV = salt XOR label at
    // byte 7, then 16 zero bits), which reproduces the appendix's label-0 key above.
    [Fact]
    public void DeriveRtcp_UsesLabels3To5OfTheSameMasterKey()
    {
        var master = new SrtpMasterKey(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6"));

        var keys = SrtpSessionKeys.DeriveRtcp(master);

        Assert.Equal("4C1AA45A81F73D61C800BBB00FBB1EAA", Convert.ToHexString(keys.Encryption));
        Assert.Equal("8D54534FEB49AE8E7993A6BD0B844FC323A93DFD", Convert.ToHexString(keys.Authentication));
        Assert.Equal("9581C7AD87B3E530BF3E4454A8B3", Convert.ToHexString(keys.Salt));
    }

    [Fact]
    public void AesCounterMode_KeystreamMatchesRfc3711AppendixB2()
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
        var keystream = new byte[0xFF02 * 16];

        AesCounterMode.Transform(aes, Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0",
            Convert.ToHexString(keystream.AsSpan(0, 48)));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44",
            Convert.ToHexString(keystream.AsSpan(0xFEFF * 16, 48)));
    }
}
