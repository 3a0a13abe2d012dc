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

        Assert.Equal(5060, options.SipEndPoint!.Port);
        Assert.Equal(8080, options.HttpEndPoint!.Port);
        Assert.Single(options.Accounts);
        var connector = Assert.Single(options.Connectors.Connectors);
        Assert.Equal("local-srs", connector.Key);
        Assert.Equal(["sip:srs@127.0.0.1:5082"], connector.Value.FailoverUris);
        Assert.Equal([new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5353)], options.Dns.Servers);
        Assert.Equal(3, options.Callbacks.MaxAttempts);
        // The sample names no private CA (its PEM would have to ship beside it): SRS certificates meet the system store.
        Assert.Null(options.SrcTls.TrustedRoots);
        Assert.False(options.SrcTls.CheckCertificateRevocation);
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

        Assert.Equal(5070, options.SipEndPoint!.Port);
        Assert.Equal(["10.0.0.0/8"], options.TrustedPeers);
        Assert.Equal(2, options.MaxRecorders);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.NoAnswerTimeout);
        Assert.Equal("AC1", options.DefaultAccountSid);
        Assert.Equal(["sip:a@127.0.0.1", "sips:b@127.0.0.1"], options.Connectors.Connectors["c"].Uris);
        Assert.Equal((2, 5), (options.Callbacks.MaxAttempts, options.Callbacks.QueueCapacity));
    }

    [Fact]
    public void Parse_ReadsAnAccountsDefaultConnector_AndTheRestPublicUrl()
    {
        var options = GatewayConfigurationFile.Parse("""
            {"accounts":[{"sid":"AC1","authToken":"secret-token-0123456789","defaultConnector":"c"},
                         {"sid":"AC2","authToken":"secret-token-0123456789"}],
             "connectors":[{"name":"c","uris":["sip:a@127.0.0.1"]}],
             "restPublicUrl":"https://api.example.com:8443"}
            """, ".");

        Assert.Equal(["c", null], options.Accounts.Select(a => a.DefaultConnector));
        Assert.Equal(new Uri("https://api.example.com:8443/"), options.RestPublicUrl);
    }

    [Theory]
    [InlineData("""{"accounts":[{"sid":"AC1","authToken":"secret-token-0123456789","defaultConnector":"gone"}],"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"]}]}""",
        "accounts[0].defaultConnector: account 'AC1': defaultConnector 'gone' is not one of the connectors")]
    [InlineData("""{"accounts":[{"sid":"AC1","authToken":"secret-token-0123456789","defaultConnector":""}]}""", "accounts[0].defaultConnector: must be a non-empty string")]
    [InlineData("""{"restPublicUrl":"ftp://api.example.com"}""", "restPublicUrl: 'ftp://api.example.com' is not an absolute http or https URL")]
    [InlineData("""{"restPublicUrl":"https://api.example.com/v2"}""", "restPublicUrl: 'https://api.example.com/v2' is not an absolute http or https URL")]
    public void Parse_RefusesABadDefaultConnectorOrPublicUrl_NamingIt(string json, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, ".", "gw.json"));

        Assert.StartsWith("gw.json: " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MapsAConnectorUrisEdge_ToAConfiguredEgress_AndStripsItFromTheUri()
    {
        var options = GatewayConfigurationFile.Parse("""
            {"edges":{"dublin":"udp:127.0.0.1:5090"},
             "connectors":[{"name":"c","uris":["sip:a@127.0.0.1;edge=dublin;transport=udp"],"failoverUris":["sip:b@127.0.0.1;edge=dublin"]}]}
            """, ".");

        var connector = options.Connectors.Connectors["c"];
        Assert.Equal("dublin", connector.Edge);
        Assert.Equal(["sip:a@127.0.0.1;transport=udp"], connector.Uris);
        Assert.Equal(["sip:b@127.0.0.1"], connector.FailoverUris);
        Assert.Equal("udp:127.0.0.1:5090", options.Edges["dublin"].ToString());
    }

    [Theory]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1;edge=sydney"]}]}""",
        "connectors: connector 'c': edge 'sydney' is not one of the configured edges (none)")]
    [InlineData("""{"edges":{"dublin":"udp:127.0.0.1:5090"},"connectors":[{"name":"c","uris":["sip:a@127.0.0.1;edge=dublin","sip:b@127.0.0.1;edge=tokyo"]}]}""",
        "connectors: connector 'c': its URIs name different edges ('dublin', 'tokyo')")]
    [InlineData("""{"edges":{"dublin":"ws:127.0.0.1:5090"}}""", "edges.dublin: 'ws:127.0.0.1:5090'")]
    public void Parse_RefusesAnUnknownOrBadEdge_NamingTheConnectorOrKey(string json, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, ".", "gw.json"));

        Assert.StartsWith("gw.json: " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsRecordingRequired_AtTheTopAndPerConnector_OffByDefault()
    {
        Assert.False(GatewayConfigurationFile.Parse("{}", ".").RecordingRequired);

        var options = GatewayConfigurationFile.Parse("""
            {"recordingRequired":true,
             "connectors":[{"name":"strict","uris":["sip:a@127.0.0.1"],"recordingRequired":true},
                           {"name":"lenient","uris":["sip:a@127.0.0.1"],"recordingRequired":false},
                           {"name":"default","uris":["sip:a@127.0.0.1"]}]}
            """, ".");

        Assert.True(options.RecordingRequired);
        Assert.True(options.Connectors.Connectors["strict"].RecordingRequired);
        Assert.False(options.Connectors.Connectors["lenient"].RecordingRequired);
        Assert.Null(options.Connectors.Connectors["default"].RecordingRequired);
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
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"transprt":"tcp"}]}""", "connectors[0].transprt: unknown key")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"transport":"sctp"}]}""", "connectors[0].transport: must be udp, tcp or tls, was 'sctp'")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"sessionTimeoutSecs":30}]}""", "connectors[0].sessionTimeoutSecs")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"pingIntervalSecs":3601}]}""", "connectors[0].pingIntervalSecs")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"pingIntervalSecs":-1}]}""", "connectors[0].pingIntervalSecs")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"failoverUris":["http://b.example.com"]}]}""", "connectors[0].failoverUris")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"failoverUris":"sip:b@127.0.0.1"}]}""", "connectors[0].failoverUris")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"userName":"u"}]}""", "connectors[0]: userName and password")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"headers":{"Via":"x"}}]}""", "connectors[0].headers.Via")]
    [InlineData("""{"connectors":[{"name":"acme","uris":["sip:a@127.0.0.1"],"headers":{"i":"x"}}]}""", "connectors[0].headers.i: connector 'acme': 'i' is not a header the SRC may add")]
    [InlineData("""{"connectors":[{"name":"acme","uris":["sip:a@127.0.0.1"],"headers":{"V":"x"}}]}""", "'V' is not a header the SRC may add: a custom header must be named X-")]
    [InlineData("""{"connectors":[{"name":"acme","uris":["sip:a@127.0.0.1"],"headers":{"P-Asserted-Identity":"<sip:a@b>"}}]}""", "connector 'acme': 'P-Asserted-Identity'")]
    [InlineData("""{"connectors":[{"name":"acme","uris":["sip:a@127.0.0.1"],"headers":{"proxy-require":"x"}}]}""", "connector 'acme': 'proxy-require'")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"secure":"yes"}]}""", "connectors[0].secure: must be true or false")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"]},{"name":"C","uris":["sip:a@127.0.0.1"]}]}""", "connectors[1].name")]
    [InlineData("""{"dns":{"servers":["dns.example.com"]}}""", "dns.servers[0]: 'dns.example.com'")]
    [InlineData("""{"dns":{"servers":[]}}""", "dns.servers: needs at least one")]
    [InlineData("""{"dns":{"server":["127.0.0.1:53"]}}""", "dns.server: unknown key")]
    [InlineData("""{"recordingRequired":"yes"}""", "recordingRequired: must be true or false")]
    [InlineData("""{"sip":{"listen":"udp:127.0.0.1:5060","headerReadTimeoutMs":0}}""", "sip.headerReadTimeoutMs")]
    [InlineData("""{"sip":{"listen":"udp:127.0.0.1:5060","maxConnections":10,"maxConnectionsPerAddress":11}}""", "sip.maxConnectionsPerAddress: must not exceed maxConnections (10)")]
    [InlineData("""{"sip":{"listen":"udp:127.0.0.1:5060","idleTimeout":5}}""", "sip.idleTimeout: unknown key")]
    [InlineData("""{"connectors":[{"name":"c","uris":["sip:a@127.0.0.1"],"recordingRequired":1}]}""", "connectors[0].recordingRequired: must be true or false")]
    public void Parse_NamesTheBadKey(string json, string named)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, "."));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsTheStreamListenerBounds_FromTheSipSection_AndKeepsTheDefaultsOfAbsentKeys()
    {
        var options = GatewayConfigurationFile.Parse(
            """{"sip":{"listen":["udp:127.0.0.1:5060","tcp:127.0.0.1:5060"],"headerReadTimeoutMs":5000,"idleTimeoutSecs":60,"maxConnectionsPerAddress":8}}""", ".");

        Assert.Equal(TimeSpan.FromSeconds(5), options.StreamTransport.HeaderReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StreamTransport.IdleTimeout);
        Assert.Equal(8, options.StreamTransport.MaxInboundConnectionsPerAddress);
        Assert.Equal(new Siprec.Sip.Transport.StreamTransportOptions().MaxInboundConnections, options.StreamTransport.MaxInboundConnections);
    }

    [Fact]
    public void Parse_ReadsAFullConnector_IntoTheRecordingConnectorModel()
    {
        var options = GatewayConfigurationFile.Parse("""
            {"connectors":[{"name":"acme","uris":["sip:srs@127.0.0.1:5080"],"failoverUris":["sip:standby@127.0.0.1:5082","sips:dr@srs.example.com"],"transport":"TCP","secure":false,
              "userName":"src","password":"pw-0123","realm":"srs.example.com","sessionTimeoutSecs":600,"pingIntervalSecs":0,
              "headers":{"X-Tenant":"acme-42"}}]}
            """, ".");

        Assert.True(options.Connectors.TryGet("ACME", out var connector));
        Assert.Equal(["sip:srs@127.0.0.1:5080"], connector!.Uris);
        Assert.Equal(["sip:standby@127.0.0.1:5082", "sips:dr@srs.example.com"], connector.FailoverUris);
        Assert.Equal("tcp", connector.EffectiveTransport);
        Assert.Equal(("src", "pw-0123", "srs.example.com"), (connector.UserName, connector.Password, connector.Realm));
        Assert.Equal(600, connector.SessionTimeoutSecs);
        Assert.Equal(0, connector.PingIntervalSecs);
        Assert.Null(connector.RecordingRequired);
        Assert.Equal("acme-42", connector.Headers["x-tenant"]);
        Assert.DoesNotContain("pw-0123", connector.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsTheDnsServers_AndDefaultsToResolvConf()
    {
        var options = GatewayConfigurationFile.Parse("""{"dns":{"servers":["127.0.0.1:5353","[::1]:53"],"timeoutMs":500,"attempts":3}}""", ".");
        var defaults = GatewayConfigurationFile.Parse("{}", ".");

        Assert.Equal([System.Net.IPEndPoint.Parse("127.0.0.1:5353"), System.Net.IPEndPoint.Parse("[::1]:53")], options.Dns.Servers);
        Assert.Equal((TimeSpan.FromMilliseconds(500), 3), (options.Dns.Timeout, options.Dns.Attempts));
        Assert.Equal(Siprec.Sip.Location.DnsOptions.FromResolvConf().Servers, defaults.Dns.Servers);
    }

    [Fact]
    public void ConnectorMessages_NeverContainThePasswordOrAHeaderValue()
    {
        var password = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(
            "{\"connectors\":[{\"name\":\"c\",\"uris\":[\"sip:a@127.0.0.1\"],\"userName\":\"u\",\"password\":\"pw-secret\u0001\"}]}", "."));
        var header = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(
            "{\"connectors\":[{\"name\":\"c\",\"uris\":[\"sip:a@127.0.0.1\"],\"headers\":{\"X-Key\":\"hdr-secret\u0001\"}}]}", "."));

        Assert.Contains("connectors[0].password", password.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret", password.Message, StringComparison.Ordinal);
        Assert.Contains("connectors[0].headers", header.Message, StringComparison.Ordinal);
        Assert.Contains("X-Key", header.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hdr-secret", header.Message, StringComparison.Ordinal);
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
