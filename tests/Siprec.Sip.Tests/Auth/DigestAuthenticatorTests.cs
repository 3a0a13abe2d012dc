using Siprec.Sip.Auth;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Auth;

public sealed class DigestAuthenticatorTests
{
    private static SipRequest Register() =>
        new SipRequest(SipMethods.Register, SipUri.Parse("sip:srs.example.com")) { Headers =
        [
            new SipHeader("From", "<sip:src@example.com>;tag=1"),
            new SipHeader("To", "<sip:src@example.com>"),
            new SipHeader("Call-ID", "c1"),
            new SipHeader("CSeq", "1 REGISTER"),
        ] };

    private static SipResponse Challenge(int status, params string[] challenges)
    {
        var response = SipResponse.CreateFor(Register(), status, toTag: "t");
        var name = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        foreach (var c in challenges) response = response.AddHeader(name, c);
        return response;
    }

    [Fact]
    public void ComputeResponse_MatchesTheRfc2617Section35Example()
    {
        var response = DigestAuthenticator.ComputeResponse(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
            "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth");
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Theory]
    [InlineData(false, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(true, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void ComputeResponse_MatchesTheRfc7616Section391Example(bool sha256, string expected)
    {
        var response = DigestAuthenticator.ComputeResponse(sha256 ? DigestAlgorithm.Sha256 : DigestAlgorithm.Md5, "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
            "/dir/index.html", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth");
        Assert.Equal(expected, response);
    }

    [Fact]
    public void TryAuthorize_AnswersA401WithAnAuthorizationHeaderCarryingEveryField()
    {
        var challenge = Challenge(401, "Digest realm=\"srs\", nonce=\"n1\", opaque=\"op\", qop=\"auth,auth-int\", algorithm=MD5");
        var request = Register();

        Assert.True(DigestAuthenticator.TryAuthorize(challenge, request, new DigestCredentials("alice", "secret"), 1, "cn", out var header, out var error), error);

        Assert.Equal("Authorization", header.Name);
        var expected = DigestAuthenticator.ComputeResponse(DigestAlgorithm.Md5, "alice", "srs", "secret", "REGISTER", "sip:srs.example.com", "n1", "00000001", "cn", "auth");
        Assert.Equal($"Digest username=\"alice\", realm=\"srs\", nonce=\"n1\", uri=\"sip:srs.example.com\", response=\"{expected}\", algorithm=MD5, opaque=\"op\", qop=auth, nc=00000001, cnonce=\"cn\"", header.Value);
    }

    [Fact]
    public void TryAuthorize_AnswersA407WithProxyAuthorization_AndPrefersSha256OverMd5()
    {
        var challenge = Challenge(407, "Digest realm=\"p\", nonce=\"n\", algorithm=MD5", "Digest realm=\"p\", nonce=\"n\", algorithm=SHA-256");

        Assert.True(DigestAuthenticator.TryAuthorize(challenge, Register(), new DigestCredentials("a", "b"), 1, "c", out var header, out _));

        Assert.Equal("Proxy-Authorization", header.Name);
        Assert.Contains("algorithm=SHA-256", header.Value);
        Assert.DoesNotContain("qop=", header.Value);
        var expected = DigestAuthenticator.ComputeResponse(DigestAlgorithm.Sha256, "a", "p", "b", "REGISTER", "sip:srs.example.com", "n", "", "", null);
        Assert.Contains($"response=\"{expected}\"", header.Value);
    }

    [Fact]
    public void SessAlgorithms_HashTheClientNonceIntoHa1()
    {
        var plain = DigestAuthenticator.ComputeResponse(DigestAlgorithm.Sha256, "a", "r", "p", "INVITE", "sip:x", "n", "00000001", "c", "auth");
        var sess = DigestAuthenticator.ComputeResponse(DigestAlgorithm.Sha256Sess, "a", "r", "p", "INVITE", "sip:x", "n", "00000001", "c", "auth");
        Assert.NotEqual(plain, sess);
        Assert.Equal(64, sess.Length);
    }

    [Theory]
    [InlineData("Basic realm=\"x\"", "scheme 'Basic' is not Digest")]
    [InlineData("Digest realm=\"x\"", "no 'nonce' parameter")]
    [InlineData("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256", "algorithm 'SHA-512-256' is not supported")]
    [InlineData("Digest realm=\"other\", nonce=\"n\"", "realm 'other' is not the credentials' realm 'srs'")]
    public void TryAuthorize_RefusesUnusableChallenges_WithAnErrorNamingTheField(string value, string expected)
    {
        var ok = DigestAuthenticator.TryAuthorize(Challenge(401, value), Register(), new DigestCredentials("a", "b", "srs"), 1, "c", out _, out var error);
        Assert.False(ok);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Credentials_ToStringNeverShowsThePassword()
    {
        var text = new DigestCredentials("alice", "hunter2-secret", "srs").ToString();
        Assert.Contains("alice", text);
        Assert.DoesNotContain("hunter2-secret", text);
    }
}
