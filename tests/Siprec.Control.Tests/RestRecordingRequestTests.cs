using Siprec.Control;

namespace Siprec.Control.Tests;

public sealed class RestRecordingRequestTests
{
    private static KeyValuePair<string, string?>[] Form(params (string, string)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string?>(f.Item1, f.Item2)).ToArray();

    [Fact]
    public void TryParse_ReadsEveryTwilioAndTelnyxField()
    {
        var ok = RestRecordingRequest.TryParse(Form(
            ("Name", "rec"), ("ConnectorName", "c1"), ("Track", "inbound_track"), ("StatusCallback", "https://example.com/cb"),
            ("StatusCallbackMethod", "get"), ("Parameter2.Name", "b"), ("Parameter2.Value", "2"), ("Parameter1.Name", "a"), ("Parameter1.Value", "1"),
            ("IncludeMetadataCustomHeaders", "true"), ("Secure", "false"), ("SessionTimeoutSecs", "90"), ("SipTransport", "TCP")), out var request, out var error);

        Assert.True(ok, error?.Text);
        Assert.Equal("rec", request!.Name);
        Assert.Equal("c1", request.ConnectorName);
        Assert.Equal(RecordingTrack.InboundTrack, request.Track);
        Assert.Equal(new Uri("https://example.com/cb"), request.StatusCallback);
        Assert.Equal("GET", request.StatusCallbackMethod);
        Assert.Equal([new("a", "1"), new("b", "2")], request.Parameters);
        Assert.True(request.IncludeMetadataCustomHeaders);
        Assert.False(request.Secure);
        Assert.Equal(90, request.SessionTimeoutSecs);
        Assert.Equal("tcp", request.SipTransport);
    }

    [Fact]
    public void ToControlRequest_CarriesTrackParametersAndSids()
    {
        RestRecordingRequest.TryParse(Form(("ConnectorName", "c"), ("Name", "n"), ("Track", "outbound_track"), ("Parameter1.Name", "X-Case"), ("Parameter1.Value", "y")),
            out var rest, out _);

        var request = rest!.ToControlRequest(["sip:srs@127.0.0.1"], "CA1", "AC1");

        Assert.Equal(RecordingAction.Start, request.Action);
        Assert.Equal(["sip:srs@127.0.0.1"], request.SrsUris);
        Assert.Equal(RecordingTrack.OutboundTrack, request.Track);
        Assert.Equal([new("X-Case", "y")], request.Parameters);
        Assert.Equal(("CA1", "AC1", "n"), (request.CallSid, request.AccountSid, request.RecordingId));
    }

    [Theory]
    [InlineData("Track", "left", "Track")]
    [InlineData("StatusCallback", "ftp://x/y", "StatusCallback")]
    [InlineData("StatusCallbackMethod", "PUT", "StatusCallbackMethod")]
    [InlineData("SessionTimeoutSecs", "30", "SessionTimeoutSecs")]
    [InlineData("SipTransport", "sctp", "SipTransport")]
    [InlineData("Secure", "yes", "Secure")]
    [InlineData("RecordingRequired", "yes", "RecordingRequired")]
    [InlineData("Name", "a\r\nX-Injected: 1", "Name")]
    [InlineData("Parameter1.Value", "v", "Parameter1.Name")]
    [InlineData("Parameter0.Name", "v", "Parameter0.Name")]
    [InlineData("Parameter1.Name", "bad name", "Parameter1.Name")]
    [InlineData("Parameter1.Name", "i", "Parameter1.Name")]
    [InlineData("Parameter1.Name", "P-Asserted-Identity", "Parameter1.Name")]
    public void TryParse_RefusesABadField_With400NamingIt(string field, string value, string named)
    {
        var ok = RestRecordingRequest.TryParse(Form(("ConnectorName", "c"), (field, value)), out _, out var error);

        Assert.False(ok);
        Assert.Equal(400, error!.StatusCode);
        Assert.Contains(named, error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void RecordingRequired_IsOurExtension_ReadAsTrueFalseOrAbsent_AndCarriedToTheControlRequest(string? value, bool? expected)
    {
        var form = value is null ? Form(("ConnectorName", "c")) : Form(("ConnectorName", "c"), ("RecordingRequired", value));

        Assert.True(RestRecordingRequest.TryParse(form, out var rest, out var error), error?.Text);

        Assert.Equal(expected, rest!.RecordingRequired);
        Assert.Equal(expected, rest.ToControlRequest(["sip:srs@127.0.0.1"], "CA1", "AC1").RecordingRequired);
    }

    [Fact]
    public void TryParse_LeavesConnectorNameOptional_AndLimitsLengths()
    {
        // Both vendors document ConnectorName as optional: the gateway falls back to the account's defaultConnector.
        Assert.True(RestRecordingRequest.TryParse(Form(("Name", "n")), out var request, out _));
        Assert.Null(request!.ConnectorName);
        Assert.False(RestRecordingRequest.TryParse(Form(("ConnectorName", new string('c', 65))), out _, out var tooLong));
        Assert.Contains("at most 64 characters", tooLong!.Text, StringComparison.Ordinal);
        Assert.Equal("ConnectorName", tooLong.Field);
    }

    [Theory]
    [InlineData("Track", "both")]
    [InlineData("StatusCallbackMethod", "PUT")]
    [InlineData("SipTransport", "sctp")]
    public void TryParse_NamesTheRefusedField_InTheError(string field, string value)
    {
        Assert.False(RestRecordingRequest.TryParse(Form(("ConnectorName", "c"), (field, value)), out _, out var error));
        Assert.Equal(field, error!.Field);
    }

    [Theory]
    [InlineData("stopped", RecordingAction.Stop)]
    [InlineData("paused", RecordingAction.Pause)]
    [InlineData("in-progress", RecordingAction.Resume)]
    public void Status_MapsToTheAction(string status, RecordingAction action)
    {
        Assert.True(RestRecordingStatus.TryParseUpdate(status, out var parsed, out _));
        Assert.Equal(action, parsed);
    }

    [Fact]
    public void Status_RefusesOtherValues_NamingStatus()
    {
        Assert.False(RestRecordingStatus.TryParseUpdate("completed", out _, out var error));
        Assert.Contains("Status", error!.Text, StringComparison.Ordinal);
        Assert.False(RestRecordingStatus.TryParseUpdate(null, out _, out var missing));
        Assert.Equal("missing required field Status", missing!.Text);
    }

    [Theory]
    [InlineData("i", "Call-ID")]
    [InlineData("V", "Via")]
    public void TryParse_RefusesACompactFormParameterName_NamingTheFieldAndTheHeaderItAbbreviates(string name, string full)
    {
        var ok = RestRecordingRequest.TryParse(Form(("ConnectorName", "c"), ("Parameter1.Name", "X-Ok"), ("Parameter1.Value", "1"),
            ("Parameter2.Name", name), ("Parameter2.Value", "smuggled")), out _, out var error);

        Assert.False(ok);
        Assert.Equal(400, error!.StatusCode);
        Assert.StartsWith("invalid Parameter2.Name '" + name + "'", error.Text, StringComparison.Ordinal);
        Assert.Contains("compact form of " + full, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AcceptsAnyTokenParameterName_WhenTheParametersTravelAsMetadata()
    {
        var ok = RestRecordingRequest.TryParse(Form(("ConnectorName", "c"), ("IncludeMetadataCustomHeaders", "true"),
            ("Parameter1.Name", "case"), ("Parameter1.Value", "4711")), out var rest, out var error);

        Assert.True(ok, error?.Text);
        Assert.Equal([new("case", "4711")], rest!.Parameters);
    }
}
