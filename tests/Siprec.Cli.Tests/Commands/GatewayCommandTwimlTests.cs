using Siprec.Cli.Commands;
using Siprec.Gateway.Twiml;
using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

/// <summary><c>siprec gateway --twiml FILE [--dialect twilio|telnyx]</c>, exclusive with <c>--flow</c>.</summary>
public sealed class GatewayCommandTwimlTests
{
    private static string Sample(string name) => Path.Combine(RepoPaths.Samples, "twiml", name);

    [Fact]
    public void Twiml_RunsTheDocumentOnEveryCall_AsTwilioTwimlByDefault()
    {
        var (options, error) = GatewayCommand.ParseOptions("--config", Path.Combine(RepoPaths.Samples, "config", "gateway.json"), "--twiml", Sample("record.xml"));

        Assert.Null(error);
        Assert.Equal(VoiceApplication.ForFile(Sample("record.xml"), TwimlDialect.Twilio), options!.Application);
        Assert.Null(options.FlowPath);
    }

    [Theory]
    [InlineData("telnyx", TwimlDialect.Telnyx)]
    [InlineData("TeXML", TwimlDialect.Telnyx)]
    [InlineData("twilio", TwimlDialect.Twilio)]
    public void Dialect_ChoosesHowTheDocumentIsRead(string dialect, TwimlDialect expected)
    {
        var (options, error) = GatewayCommand.ParseOptions("--twiml", Sample("texml-record.xml"), "--dialect", dialect);

        Assert.Null(error);
        Assert.Equal(expected, options!.Application!.Dialect);
    }

    [Theory]
    [InlineData(new[] { "--twiml", "record.xml", "--flow", "flow.json" }, "--flow and --twiml are exclusive")]
    [InlineData(new[] { "--twiml", "/nonexistent/doc.xml" }, "--twiml '/nonexistent/doc.xml': file not found")]
    [InlineData(new[] { "--dialect", "telnyx" }, "--dialect applies to --twiml FILE")]
    [InlineData(new[] { "--twiml", "record.xml", "--dialect", "plivo" }, "--dialect 'plivo': expected twilio or telnyx")]
    public void BadTwimlOptions_AreRefused_NamingTheOption(string[] args, string expected)
    {
        var resolved = args.Select(a => a.EndsWith(".xml", StringComparison.Ordinal) && !a.StartsWith('/') ? Sample(a)
            : a == "flow.json" ? Path.Combine(RepoPaths.Samples, "flows", "record-call.json") : a).ToArray();

        var (options, error) = GatewayCommand.ParseOptions(resolved);

        Assert.Null(options);
        Assert.StartsWith(expected, error);
    }
}
