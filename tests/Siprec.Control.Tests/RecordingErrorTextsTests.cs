namespace Siprec.Control.Tests;

public sealed class RecordingErrorTextsTests
{
    [Fact]
    public void ConstantTexts_MatchDesignSection42Exactly()
    {
        Assert.Equal("startCallRecording request is missing X-Srs-Url header", RecordingErrorTexts.MissingSrsUrl);
        Assert.Equal("discarding duplicate startCallRecording request for a call", RecordingErrorTexts.DuplicateStart);
        Assert.Equal("No response from SipRec server, return error to feature server", RecordingErrorTexts.NoResponse);
        Assert.Equal("discarding stopCallRecording request because we are not recording", RecordingErrorTexts.StopWhileNotRecording);
        Assert.Equal("discarding invalid pauseCallRecording request", RecordingErrorTexts.InvalidPause);
        Assert.Equal("discarding invalid resumeCallRecording request", RecordingErrorTexts.InvalidResume);
        Assert.Equal("invalid JSON body in recording request", RecordingErrorTexts.InvalidJsonBody);
        Assert.Equal("Cannot start recording when recording is already started", RecordingErrorTexts.AlreadyStarted);
    }

    [Fact]
    public void FormattedTexts_MatchDesignSection42()
    {
        Assert.Equal("X-Srs-Url accepts only sip: or sips: URIs: wss://x", RecordingErrorTexts.NotSipUri("wss://x"));
        Assert.Equal("too many recorders: 6 (at most 4)", RecordingErrorTexts.TooManyRecorders(6, 4));
        Assert.Equal("Error starting SipRec call recording: sip:a: 486 Busy Here; sip:b: timeout",
            RecordingErrorTexts.StartFailed([("sip:a", "486 Busy Here"), ("sip:b", "timeout")]));
    }

    [Fact]
    public void Printable_EscapesControlCharactersAndQuotes()
    {
        Assert.Equal("a\\r\\nb\\u0001'q'", RecordingErrorTexts.Printable("a\r\nb\u0001\"q\""));
        Assert.Equal(string.Empty, RecordingErrorTexts.Printable(null));
    }
}
