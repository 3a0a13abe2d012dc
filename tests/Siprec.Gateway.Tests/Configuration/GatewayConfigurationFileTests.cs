using Siprec.Gateway.Configuration;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Configuration;

public sealed class GatewayConfigurationFileTests
{
    private const string Account = """{"sid":"AC1","authToken":"secret-token-0123456789","apiKeys":["key-0123456789"]}""";

    [Fact]
    public void TheSampleConfiguration_Loads()
    {
        var options = GatewayConfigurationFile.Load(Path.Combine(RepoPaths.Samples, "config", "gateway.json"));

        Assert.Equal(5060, options.SipEndPoint.Port);
        Assert.Equal(8080, options.HttpEndPoint!.Port);
        Assert.Single(options.Accounts);
        Assert.Equal("local-srs", Assert.Single(options.Connectors).Name);
        Assert.Equal(3, options.Callbacks.MaxAttempts);
    }

    [Fact]
    public void Parse_ReadsEveryKey()
    {
        var options = GatewayConfigurationFile.Parse($$$"""
            {"sip":"udp:127.0.0.1:5070","http":"127.0.0.1:0","trustedPeers":["10.0.0.0/8"],
             "limits":{"maxRecorders":2,"noAnswerTimeoutMs":1500},"accounts":[{{{Account}}}],"defaultAccount":"AC1",
             "connectors":[{"name":"c","uris":["sip:a@127.0.0.1","sips:b@127.0.0.1"]}],
             "callbacks":{"maxAttempts":2,"firstRetryDelayMs":10,"timeoutMs":1000,"queueCapacity":5}}
            """, ".");

        Assert.Equal(5070, options.SipEndPoint.Port);
        Assert.Equal(["10.0.0.0/8"], options.TrustedPeers);
        Assert.Equal(2, options.MaxRecorders);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.NoAnswerTimeout);
        Assert.Equal("AC1", options.DefaultAccountSid);
        Assert.Equal(["sip:a@127.0.0.1", "sips:b@127.0.0.1"], options.Connectors[0].SrsUris);
        Assert.Equal((2, 5), (options.Callbacks.MaxAttempts, options.Callbacks.QueueCapacity));
    }

    [Theory]
    [InlineData("""{"sipp":"udp:127.0.0.1:5060"}""", "sipp: unknown key")]
    [InlineData("""{"sip":"tcp:127.0.0.1"}""", "sip:")]
    [InlineData("""{"trustedPeers":["10.0.0.0/99"]}""", "trustedPeers[0]")]
    [InlineData("""{"limits":{"maxRecorders":0}}""", "limits.maxRecorders")]
    [InlineData("""{"accounts":[{"sid":"AC1"}]}""", "accounts[0].authToken: required")]
    [InlineData("""{"accounts":[{"sid":"AC1","authToken":"short"}]}""", "accounts[0].authToken")]
    [InlineData("""{"defaultAccount":"AC9"}""", "defaultAccount")]
    [InlineData("""{"connectors":[{"name":"c","uris":["wss://x"]}]}""", "connectors[0].uris")]
    [InlineData("""{"callbacks":{"maxAttempts":11}}""", "callbacks.maxAttempts")]
    public void Parse_NamesTheBadKey(string json, string named)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, "."));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_NeverContainASecret()
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(
            """{"accounts":[{"sid":"AC1","authToken":"tiny-secret"}]}""", "."));

        Assert.DoesNotContain("tiny-secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", new GatewayAccount("AC1", "secret-token", ["k"]).ToString(), StringComparison.Ordinal);
    }
}
