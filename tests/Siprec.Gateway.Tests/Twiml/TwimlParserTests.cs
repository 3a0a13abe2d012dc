using Siprec.Control;
using Siprec.Gateway.Twiml;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Twiml;

/// <summary>The TwiML/TeXML reader: every verb and attribute, the samples, and the errors that name element and line.</summary>
public sealed class TwimlParserTests
{
    private static readonly Uri Here = new("file:///srv/app/doc.xml");

    internal static TwimlDocument Parse(string xml, TwimlDialect dialect = TwimlDialect.Twilio, bool speech = true)
    {
        Assert.True(TwimlParser.TryParse(xml, Here, dialect, speech, out var document, out var error), error.ToString());
        return document!;
    }

    private static string Refused(string xml, TwimlDialect dialect = TwimlDialect.Twilio, bool speech = true)
    {
        Assert.False(TwimlParser.TryParse(xml, Here, dialect, speech, out _, out var error));
        return error.ToString();
    }

    public static TheoryData<string, TwimlDialect> Samples() => new()
    {
        { "record.xml", TwimlDialect.Twilio }, { "texml-record.xml", TwimlDialect.Telnyx }, { "start-siprec.xml", TwimlDialect.Twilio },
        { "stop-siprec.xml", TwimlDialect.Twilio }, { "play.xml", TwimlDialect.Twilio }, { "pause.xml", TwimlDialect.Twilio },
        { "say.xml", TwimlDialect.Twilio }, { "redirect.xml", TwimlDialect.Twilio }, { "hangup.xml", TwimlDialect.Twilio },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void EverySample_Parses(string file, TwimlDialect dialect)
    {
        var path = Path.Combine(RepoPaths.Samples, "twiml", file);
        Assert.True(TwimlParser.TryParse(File.ReadAllText(path), new Uri(path), dialect, speechAvailable: true, out var document, out var error), error.ToString());
        Assert.NotEmpty(document!.Verbs);
    }

    [Fact]
    public void StartSiprec_ReadsEveryTwilioAttributeAndTheParameters_AsTheRestCreateFields()
    {
        var document = Parse("""
            <Response>
              <Start>
                <Siprec name="n1" connectorName="local-srs" track="inbound_track" statusCallback="http://127.0.0.1:9/cb" statusCallbackMethod="get">
                  <Parameter name="X-One" value="1"/>
                  <Parameter name="X-Two" value="two"/>
                </Siprec>
              </Start>
            </Response>
            """);

        var start = Assert.IsType<StartSiprecVerb>(Assert.Single(document.Verbs));
        Assert.Equal(3, start.Line);
        var create = start.Create;
        Assert.Equal("n1", create.Name);
        Assert.Equal("local-srs", create.ConnectorName);
        Assert.Equal(RecordingTrack.InboundTrack, create.Track);
        Assert.Equal(new Uri("http://127.0.0.1:9/cb"), create.StatusCallback);
        Assert.Equal("GET", create.StatusCallbackMethod);
        Assert.Equal([new("X-One", "1"), new("X-Two", "two")], create.Parameters);
        Assert.False(create.IncludeMetadataCustomHeaders);
    }

    [Fact]
    public void StartSiprec_InTeXml_ReadsTelnyxsAdditions()
    {
        var document = Parse("""
            <Response><Start><Siprec connectorName="c" includeMetadataCustomHeaders="true" secure="true" sessionTimeoutSecs="120" sipTransport="TCP">
              <Parameter name="campaign" value="x"/></Siprec></Start></Response>
            """, TwimlDialect.Telnyx);

        var create = Assert.IsType<StartSiprecVerb>(Assert.Single(document.Verbs)).Create;
        Assert.True(create.IncludeMetadataCustomHeaders);
        Assert.True(create.Secure);
        Assert.Equal(120, create.SessionTimeoutSecs);
        Assert.Equal("tcp", create.SipTransport);
        Assert.Equal([new("campaign", "x")], create.Parameters);
    }

    [Fact]
    public void StartSiprec_InTwiml_RefusesATelnyxAttribute_SayingWhichDialectWouldTakeIt()
    {
        var error = Refused("<Response>\n<Start>\n<Siprec connectorName=\"c\" secure=\"true\"/></Start></Response>");

        Assert.Equal("<Siprec> on line 3: attribute secure=\"true\" is a Telnyx TeXML attribute; this document is read as Twilio TwiML (set the dialect to telnyx)", error);
    }

    [Fact]
    public void StartSiprec_WithoutConnectorName_Parses_SoTheAccountsDefaultConnectorCanServeIt()
    {
        var document = Parse("<Response><Start><Siprec name=\"n\"/></Start></Response>");

        var create = Assert.IsType<StartSiprecVerb>(Assert.Single(document.Verbs)).Create;
        Assert.Null(create.ConnectorName);
        Assert.Equal("n", create.Name);
    }

    [Theory]
    [InlineData("<Siprec connectorName=\"c\" track=\"left\"/>", "Track 'left'")]
    [InlineData("<Siprec connectorName=\"c\" statusCallbackMethod=\"PUT\"/>", "StatusCallbackMethod")]
    [InlineData("<Siprec connectorName=\"c\" statusCallback=\"ftp://x/\"/>", "StatusCallback")]
    [InlineData("<Siprec connectorName=\"c\"><Parameter name=\"Call-ID\" value=\"x\"/></Siprec>", "Parameter1.Name")]
    public void StartSiprec_WithABadValue_FailsWithTheRestCreatesText_OnTheSiprecLine(string siprec, string field)
    {
        var error = Refused("<Response>\n  <Start>\n    " + siprec + "\n  </Start>\n</Response>");

        Assert.StartsWith("<Siprec> on line 3: ", error);
        Assert.Contains(field, error);
    }

    [Fact]
    public void StopSiprec_ReadsTheName_AndWithoutOneMeansTheLatestStarted()
    {
        var document = Parse("<Response><Stop><Siprec name=\"a\"/></Stop><Stop><Siprec/></Stop></Response>");

        Assert.Equal([new StopSiprecVerb(1, "a"), new StopSiprecVerb(1, null)], document.Verbs);
    }

    [Fact]
    public void PlayPauseSayRedirectHangup_ReadEveryAttribute()
    {
        var document = Parse("""
            <Response>
              <Play loop="3"> ../audio/a.wav </Play>
              <Play>http://127.0.0.1/b.wav</Play>
              <Pause length="7"/>
              <Pause/>
              <Say voice="woman" language="en-GB" loop="0">Hello there</Say>
              <Redirect method="get">next.xml</Redirect>
              <Redirect>other.xml</Redirect>
              <Hangup/>
            </Response>
            """);

        Assert.Equal<TwimlVerb>(
        [
            new PlayVerb(2, "../audio/a.wav", 3), new PlayVerb(3, "http://127.0.0.1/b.wav", 1),
            new PauseVerb(4, TimeSpan.FromSeconds(7)), new PauseVerb(5, TimeSpan.FromSeconds(1)),
            new SayVerb(6, "Hello there", "woman", "en-GB", 0),
            new RedirectVerb(7, "next.xml", "GET"), new RedirectVerb(8, "other.xml", "POST"), new HangupVerb(9),
        ], document.Verbs);
    }

    [Theory]
    [InlineData("<Gather/>", "<Gather> on line 2: unknown or unsupported verb (supported: Start/Stop with Siprec, Play, Pause, Say, Redirect, Hangup)")]
    [InlineData("<Play digits=\"1\">a.wav</Play>", "<Play> on line 2: attribute digits=\"1\" is not supported (supported: loop)")]
    [InlineData("<Play loop=\"-1\">a.wav</Play>", "<Play> on line 2: attribute loop=\"-1\" must be a whole number 0..1000")]
    [InlineData("<Play/>", "<Play> on line 2: needs text content")]
    [InlineData("<Pause length=\"1.5\"/>", "<Pause> on line 2: attribute length=\"1.5\" must be a whole number 0..86400")]
    [InlineData("<Pause>3</Pause>", "<Pause> on line 2: takes no text")]
    [InlineData("<Redirect method=\"PUT\">x.xml</Redirect>", "<Redirect> on line 2: attribute method=\"PUT\" must be GET or POST")]
    [InlineData("<Hangup reason=\"busy\"/>", "<Hangup> on line 2: attribute reason=\"busy\" takes no attributes")]
    [InlineData("<Start><Stream url=\"wss://x\"/></Start>", "<Stream> on line 2: unsupported inside <Start> (one <Siprec> is supported)")]
    [InlineData("<Start/>", "<Start> on line 2: needs one <Siprec> (the only noun supported here)")]
    [InlineData("<Start><Siprec connectorName=\"c\"><Foo/></Siprec></Start>", "<Foo> on line 2: unsupported inside <Siprec> (only <Parameter name value/>)")]
    [InlineData("<Start><Siprec connectorName=\"c\"><Parameter value=\"v\"/></Siprec></Start>", "<Parameter> on line 2: needs a name attribute")]
    public void AnUnknownVerbOrBadAttribute_FailsTheDocument_NamingTheElementAndItsLine(string verb, string expected)
    {
        Assert.Equal(expected, Refused("<Response>\n" + verb + "\n</Response>"));
    }

    [Fact]
    public void Say_WithoutEspeakNg_FailsAtLoad_NamingTheElementAndLine()
    {
        var error = Refused("<Response>\n<Pause/>\n<Say>hi</Say></Response>", speech: false);

        Assert.Equal("<Say> on line 3: " + TwimlParser.SpeechUnavailable, error);
    }

    [Fact]
    public void ADocumentType_IsRefused_SoNoEntityIsExpanded()
    {
        var error = Refused("""
            <?xml version="1.0"?>
            <!DOCTYPE Response [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
            <Response><Say>&x;</Say></Response>
            """);

        Assert.Contains("not well-formed XML: For security reasons DTD is prohibited", error);
    }

    [Theory]
    [InlineData("<Respons/>", "<Respons> on line 1: the document element must be <Response>")]
    [InlineData("<Response>hello</Response>", "<Response> on line 1: takes no text")]
    [InlineData("<Response><Play>a.wav</Response>", "line 1: not well-formed XML: ")]
    public void AWrongRootOrBrokenXml_IsRefused(string xml, string expected)
    {
        Assert.StartsWith(expected, Refused(xml));
    }
}
