using Siprec.Gateway.Configuration;
using Siprec.Gateway.Twiml;

namespace Siprec.Gateway.Tests.Configuration;

/// <summary>The configuration file's TwiML/TeXML applications: <c>twiml</c>, <c>numbers</c> and an account's <c>voiceUrl</c>.</summary>
public sealed class GatewayApplicationConfigurationTests
{
    private const string Account = """{ "sid": "AC1", "authToken": "0123456789abcdef0123" """;

    [Fact]
    public void Parse_ReadsTheGatewaysNumbersAndAccountsApplications_AndTheBounds()
    {
        var folder = Directory.CreateTempSubdirectory("twiml-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "doc.xml"), "<Response/>");

        var options = GatewayConfigurationFile.Parse($$"""
            {
              "twiml": { "file": "doc.xml", "dialect": "telnyx", "fetchTimeoutMs": 2500, "maxAudioBytes": 4096, "maxDocuments": 7 },
              "numbers": [ { "number": "+15550001111", "voiceUrl": "https://app.example.com/ivr", "voiceMethod": "get" } ],
              "accounts": [ {{Account}}, "voiceUrl": "http://127.0.0.1:9000/voice", "dialect": "texml" } ]
            }
            """, folder);

        Assert.Equal(new VoiceApplication(new Uri(Path.Combine(folder, "doc.xml")), "POST", TwimlDialect.Telnyx), options.Application);
        Assert.Equal(new TwimlOptions { FetchTimeout = TimeSpan.FromMilliseconds(2500), MaxAudioBytes = 4096, MaxDocuments = 7 }, options.Twiml);
        Assert.Equal(new VoiceApplication(new Uri("https://app.example.com/ivr"), "GET", TwimlDialect.Twilio), options.NumberApplications["+15550001111"]);
        Assert.Equal(new VoiceApplication(new Uri("http://127.0.0.1:9000/voice"), "POST", TwimlDialect.Telnyx), Assert.Single(options.Accounts).Application);
    }

    [Fact]
    public void Parse_RefusesAFlowBesideTheGatewaysTwimlApplication()
    {
        var flow = Path.Combine(Siprec.Testing.RepoPaths.Samples, "flows", "record-call.json").Replace("\\", "/", StringComparison.Ordinal);

        var ex = Assert.Throws<GatewayConfigurationException>(() =>
            GatewayConfigurationFile.Parse($$"""{ "flow": "{{flow}}", "twiml": { "voiceUrl": "http://a/" } }""", "/tmp", "gw.json"));

        Assert.Equal("gw.json: flow: a call runs either the flow or the twiml application; set one of them", ex.Message);
    }

    [Theory]
    [InlineData("""{ "twiml": { "voiceUrl": "ftp://a/" } }""", "twiml.voiceUrl: 'ftp://a/' is not an absolute http or https URL")]
    [InlineData("""{ "twiml": { "voiceUrl": "http://a/", "file": "x.xml" } }""", "twiml: set either file or voiceUrl, not both")]
    [InlineData("""{ "twiml": { "file": "missing.xml" } }""", "twiml.file: file '")]
    [InlineData("""{ "twiml": { "dialect": "telnyx" } }""", "twiml.dialect: needs a voiceUrl or a file beside it")]
    [InlineData("""{ "twiml": { "voiceUrl": "http://a/", "dialect": "plivo" } }""", "twiml.dialect: must be twilio or telnyx, was 'plivo'")]
    [InlineData("""{ "numbers": [ { "number": "+1", "voiceUrl": "http://a/", "voiceMethod": "PUT" } ] }""", "numbers[0].voiceMethod: must be GET or POST, was 'PUT'")]
    [InlineData("""{ "numbers": [ { "number": "+1" } ] }""", "numbers[0]: needs a voiceUrl or a file")]
    [InlineData("""{ "accounts": [ { "sid": "AC1", "authToken": "0123456789abcdef0123", "dialect": "telnyx" } ] }""", "accounts[0].dialect: needs a voiceUrl beside it")]
    [InlineData("""{ "accounts": [ { "sid": "AC1", "authToken": "0123456789abcdef0123", "file": "x.xml" } ] }""", "accounts[0].file: unknown key")]
    public void Parse_NamesTheBadApplicationKey(string json, string named)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, "/tmp", "gw.json"));

        Assert.StartsWith("gw.json: " + named, ex.Message);
    }
}
