namespace Siprec.Control.Tests;

public sealed class RecordingTrackNamesTests
{
    [Theory]
    [InlineData("both_tracks", RecordingTrack.BothTracks)]
    [InlineData("INBOUND_TRACK", RecordingTrack.InboundTrack)]
    [InlineData(" outbound_track ", RecordingTrack.OutboundTrack)]
    [InlineData(null, RecordingTrack.BothTracks)]
    [InlineData("", RecordingTrack.BothTracks)]
    public void TryParse_ReadsTheTwilioAndTelnyxValues_CaseInsensitively_EmptyMeaningBoth(string? text, RecordingTrack expected)
    {
        Assert.True(RecordingTrackNames.TryParse(text, out var track));
        Assert.Equal(expected, track);
    }

    [Fact]
    public void TryParse_RefusesAnythingElse()
    {
        Assert.False(RecordingTrackNames.TryParse("sideways", out var track));
        Assert.Equal(RecordingTrack.BothTracks, track);
    }

    [Theory]
    [InlineData(RecordingTrack.BothTracks)]
    [InlineData(RecordingTrack.InboundTrack)]
    [InlineData(RecordingTrack.OutboundTrack)]
    public void ToName_RoundTripsThroughTryParse(RecordingTrack track)
    {
        Assert.True(RecordingTrackNames.TryParse(RecordingTrackNames.ToName(track), out var read));
        Assert.Equal(track, read);
    }
}
