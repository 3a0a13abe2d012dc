using System.Text;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Messages;

/// <summary>
/// The allocation-free fast paths (<see cref="SipSyntax"/>, <see cref="SipUri.TryParseSimple"/>) only ever accept what
/// the string-based parsers accept, and read the same fields, so the parser's verdicts do not change.
/// </summary>
public sealed class SipSyntaxTests
{
    [Theory]
    [InlineData("SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK3b5f;rport")]
    [InlineData("SIP/2.0/TCP host.example.com;branch=z9hG4bKa;received=192.0.2.1")]
    [InlineData("SIP / 2.0 / UDP host : 5060 ; branch = z9hG4bK1")]
    [InlineData("SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK1, SIP/2.0/TCP b.example.com;branch=z9hG4bK2")]
    public void CanonicalVia_TakesTheFastPath(string value) => Assert.True(SipSyntax.IsSimpleViaList(value));

    [Theory]
    [InlineData("<sip:src@192.0.2.10:5070>;tag=6f1c2a9d04e8b371")]
    [InlineData("Bob <sip:bob@biloxi.example.com>")]
    [InlineData("sip:alice@atlanta.example.com;tag=1")]
    [InlineData("<tel:+4930123456>")]
    public void CanonicalAddress_TakesTheFastPath(string value) => Assert.True(SipSyntax.IsSimpleNameAddress(value));

    [Theory]
    [InlineData("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1")]
    [InlineData("SIP/2.0/UDP host;branch=\"quoted\"")]
    [InlineData("SIP/2.0/UDP host:99999;branch=z9hG4bK1")]
    [InlineData("SIP/2.0/UDP host:;branch=z9hG4bK1")]
    [InlineData("\vSIP/2.0/UDP host;branch=z9hG4bK1")]
    [InlineData("SIP/2.0/UDP host;;branch=z9hG4bK1")]
    public void UnusualOrInvalidVia_IsLeftToTheFullParser(string value) => Assert.False(SipSyntax.IsSimpleViaList(value));

    [Theory]
    [InlineData("\"Alice A.\" <sip:alice@atlanta.example.com>;tag=1")]
    [InlineData("<sip:a@b>>")]
    [InlineData("<sip:a@b><sip:c@d>")]
    [InlineData("sip:a@b?subject=x")]
    [InlineData("<sip:a@b;tag=>")]
    [InlineData("<sip:@b>")]
    public void UnusualOrInvalidAddress_IsLeftToTheFullParser(string value) => Assert.False(SipSyntax.IsSimpleNameAddress(value));

    [Theory]
    [InlineData("sip:host ;lr")]
    [InlineData("sip:host; lr")]
    [InlineData("sip:host;maddr= 192.0.2.1")]
    [InlineData("sip:h\u00e9@host")]
    [InlineData("sip:host:5060x")]
    [InlineData("sip:host;x=a?b")]
    public void UriWithWhitespaceOrUnusualCharacters_IsLeftToTheFullParser(string value) => Assert.False(SipSyntax.IsSimpleSipUri(value));

    [Theory]
    [InlineData("sip:srs@192.0.2.20:5060;transport=udp")]
    [InlineData("sips:user:secret@host.example.com;lr;maddr=239.255.255.1")]
    [InlineData("sip:host")]
    [InlineData("SIP:UPPER@Example.COM:0005060")]
    [InlineData("tel:+4930123456;phone-context=example.com")]
    [InlineData("sip:user;par=u%40example.net@example.com")]
    public void SimpleUri_ReadsTheSameFieldsAsTheGeneralReader(string text)
    {
        Assert.True(SipUri.TryParseSimple(text, out var fast));
        Assert.True(SipUri.TryParseGeneral(text, out var general));
        AssertSameUri(general!, fast!);
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(7)]
    public void FastPaths_NeverAcceptWhatTheFullParsersReject_OnTheMutatedCorpus(int seed)
    {
        Siprec.Testing.Conformance.SkipIfMissing();
        var mutator = new CorpusMutator(SipCorpus.Load(), seed);
        var fastAccepted = 0;
        for (var n = 0; n < 3000; n++)
        {
            foreach (var line in Encoding.UTF8.GetString(mutator.Next().Data).Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var value = line[(colon + 1)..].Trim(' ', '\t', '\r');
                fastAccepted += CheckAgreement(value);
                var sp = line.IndexOf(' ');
                if (sp > 0 && line.IndexOf(' ', sp + 1) is var sp2 and > 0) fastAccepted += CheckUriAgreement(line[(sp + 1)..sp2]);
            }
        }
        Assert.True(fastAccepted > 1000, $"the fast paths accepted only {fastAccepted} values");
    }

    [Theory]
    [InlineData("sip:h\u00e9@host")]
    [InlineData("tel:+49\u00e9")]
    [InlineData("SIP/2.0/UDP h\u00f6st;branch=z9hG4bK1")]
    public void NonAsciiText_IsLeftToTheFullParser_OnBothTheTextAndTheBytePath(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Assert.False(SipSyntax.IsSimpleSipUri(value));
        Assert.False(SipSyntax.IsSimpleSipUri(bytes));
        Assert.False(SipSyntax.IsSimpleViaList(value));
        Assert.False(SipSyntax.IsSimpleViaList(bytes));
    }

    private static int CheckAgreement(string value)
    {
        AssertBytePathAgrees(value);
        var accepted = 0;
        if (SipSyntax.IsSimpleViaList(value))
        {
            accepted++;
            var items = value.Contains(',') ? SipGrammar.Split(value, ',') : [value];
            Assert.All(items, item => Assert.True(Via.TryParse(item, out _), $"fast path accepted Via '{value}'"));
        }
        if (SipSyntax.IsSimpleNameAddress(value))
        {
            accepted++;
            Assert.True(NameAddress.TryParse(value, out _), $"fast path accepted address '{value}'");
        }
        if (SipSyntax.IsSimpleAddressList(value))
        {
            accepted++;
            Assert.All(SipGrammar.Split(value, ','), item => Assert.True(NameAddress.TryParse(item, out _), $"fast path accepted address list '{value}'"));
        }
        if (SipSyntax.IsCSeq(value))
        {
            accepted++;
            Assert.True(CSeq.TryParse(value, out _), $"fast path accepted CSeq '{value}'");
        }
        return accepted + CheckUriAgreement(value);
    }

    /// <summary>The parser runs the checks on the message bytes; they must give the text path's answer for the same value.</summary>
    private static void AssertBytePathAgrees(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Assert.True(SipSyntax.IsSimpleViaList(value) == SipSyntax.IsSimpleViaList(bytes), $"Via byte/text paths differ on '{value}'");
        Assert.True(SipSyntax.IsSimpleNameAddress(value) == SipSyntax.IsSimpleNameAddress(bytes), $"address byte/text paths differ on '{value}'");
        Assert.True(SipSyntax.IsSimpleAddressList(value) == SipSyntax.IsSimpleAddressList(bytes), $"address list byte/text paths differ on '{value}'");
        Assert.True(SipSyntax.IsCSeq(value) == SipSyntax.IsCSeq(bytes), $"CSeq byte/text paths differ on '{value}'");
    }

    private static int CheckUriAgreement(string text)
    {
        // A parsed request keeps a Request-URI the byte check passed as bytes, and reads it with TryParseSimple later.
        Assert.True(SipSyntax.IsSimpleSipUri(Encoding.UTF8.GetBytes(text)) == SipUri.TryParseSimple(text, out _), $"URI byte check and reader differ on '{text}'");
        if (!SipUri.TryParseSimple(text, out var fast)) return 0;
        Assert.True(SipUri.TryParseGeneral(text, out var general), $"fast path accepted URI '{text}'");
        AssertSameUri(general!, fast!);
        return 1;
    }

    private static void AssertSameUri(SipUri expected, SipUri actual)
    {
        Assert.Equal(expected.Scheme, actual.Scheme);
        Assert.Equal(expected.User, actual.User);
        Assert.Equal(expected.Password, actual.Password);
        Assert.Equal(expected.Host, actual.Host);
        Assert.Equal(expected.Port, actual.Port);
        Assert.Equal(expected.Opaque, actual.Opaque);
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.ToString(), actual.ToString());
    }
}
