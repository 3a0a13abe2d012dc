using Siprec.Recording.Connectors;

namespace Siprec.Recording.Tests.Connectors;

public sealed class SrsConnectorOptionsTests
{
    private static SrsConnectorOptions With(Action<SrsConnector> change)
    {
        var connector = new SrsConnector { Uris = ["sip:srs@recorder.example.com"] };
        change(connector);
        return new SrsConnectorOptions { Connectors = new(StringComparer.OrdinalIgnoreCase) { ["acme"] = connector } };
    }

    [Theory]
    [InlineData("Uris", "Connectors:acme:Uris needs at least one")]
    [InlineData("BadUri", "Connectors:acme:Uris:0 must be a sip: or sips: URI, was 'https://srs.example.com'")]
    [InlineData("FailoverUri", "Connectors:acme:FailoverUris:1 must be a sip: or sips: URI, was 'tel:+15550100'")]
    [InlineData("Transport", "Connectors:acme:Transport must be udp, tcp or tls, was 'sctp'")]
    [InlineData("SessionTimeoutSecs", "Connectors:acme:SessionTimeoutSecs must be 0 (off) or at least 90")]
    [InlineData("PingIntervalSecs", "Connectors:acme:PingIntervalSecs must be 0 (off) to 3600, was 3601")]
    [InlineData("Password", "Connectors:acme:UserName and Connectors:acme:Password must be set together")]
    [InlineData("Headers", "Connectors:acme:Headers:Via is not a header the SRC may add")]
    [InlineData("HeaderValue", "Connectors:acme:Headers:X-A has a value with a line break")]
    public void Validate_NamesTheBadKey(string what, string expected)
    {
        var options = With(c =>
        {
            switch (what)
            {
                case "Uris": c.Uris = []; break;
                case "BadUri": c.Uris = ["https://srs.example.com"]; break;
                case "FailoverUri": c.FailoverUris = ["sips:standby@recorder.example.com", "tel:+15550100"]; break;
                case "Transport": c.Transport = "sctp"; break;
                case "SessionTimeoutSecs": c.SessionTimeoutSecs = 30; break;
                case "PingIntervalSecs": c.PingIntervalSecs = 3601; break;
                case "Password": c.UserName = "bob"; break;
                case "Headers": c.Headers["Via"] = "x"; break;
                case "HeaderValue": c.Headers["X-A"] = "a\r\nB: c"; break;
            }
        });

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_AcceptsAFullConnector_AndLookupIgnoresCase()
    {
        var options = With(c =>
        {
            c.Uris = ["sip:a@127.0.0.1:5080", "sips:b@recorder.example.com"];
            c.Transport = "TCP";
            c.UserName = "bob";
            c.Password = "s3cret";
            c.SessionTimeoutSecs = 0;
            c.Headers["X-Tenant"] = "acme";
        });

        options.Validate();

        Assert.True(options.TryGet("ACME", out var connector));
        Assert.Equal("tcp", connector!.EffectiveTransport);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var connector = new SrsConnector { Uris = ["sip:a@127.0.0.1"], UserName = "bob", Password = "s3cret", Secure = true };

        var text = connector.ToString();

        Assert.DoesNotContain("s3cret", text);
        Assert.Contains("password=***", text);
        Assert.Contains("transport=tls", text);
    }
}
