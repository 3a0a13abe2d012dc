namespace Siprec.Control.Tests;

public sealed class SrsUriListTests
{
    [Fact]
    public void TryParse_TrimsEntries_AndFormatJoinsWithBareCommas()
    {
        Assert.True(SrsUriList.TryParse("sip:a, sip:b", 4, out var uris, out var error));
        Assert.Null(error);
        Assert.Equal(["sip:a", "sip:b"], uris);
        Assert.Equal("sip:a,sip:b", SrsUriList.Format(uris));
    }

    [Fact]
    public void TryParse_DropsEmptyEntries()
    {
        Assert.True(SrsUriList.TryParse(" ,sip:srs@10.0.0.1:5080;transport=tcp,, sips:rec.example.com ,", 4, out var uris, out _));
        Assert.Equal(["sip:srs@10.0.0.1:5080;transport=tcp", "sips:rec.example.com"], uris);
    }

    [Fact]
    public void TryParse_AcceptsSchemeInAnyCase()
    {
        Assert.True(SrsUriList.TryParse("SIP:a@h, Sips:b@h", 4, out var uris, out _));
        Assert.Equal(2, uris.Count);
    }

    [Theory]
    [InlineData("wss://x.example.com")]
    [InlineData("ws://x.example.com")]
    [InlineData("https://x.example.com")]
    [InlineData("http://x.example.com")]
    [InlineData("siprec.example.com")]
    [InlineData("10.0.0.5")]
    [InlineData("tel:+15551234")]
    public void TryParse_RejectsNonSipEntry_With503NamingTheEntry(string entry)
    {
        Assert.False(SrsUriList.TryParse("sip:ok@h," + entry, 4, out var uris, out var error));
        Assert.Empty(uris);
        Assert.Equal(503, error!.StatusCode);
        Assert.Equal("X-Srs-Url accepts only sip: or sips: URIs: " + entry, error.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" , ,")]
    public void TryParse_RejectsEmptyList_WithMissingHeaderText(string? text)
    {
        Assert.False(SrsUriList.TryParse(text, 4, out _, out var error));
        Assert.Equal(new RecordingControlError(400, "startCallRecording request is missing X-Srs-Url header"), error);
    }

    [Fact]
    public void TryParse_RejectsMoreEntriesThanAllowed()
    {
        Assert.False(SrsUriList.TryParse("sip:a,sip:b,sip:c,sip:d,sip:e", 4, out _, out var error));
        Assert.Equal(new RecordingControlError(400, "too many recorders: 5 (at most 4)"), error);
    }

    [Fact]
    public void TryParse_AcceptsExactlyTheMaximum()
    {
        Assert.True(SrsUriList.TryParse("sip:a,sip:b", 2, out var uris, out _));
        Assert.Equal(2, uris.Count);
    }

    [Theory]
    [InlineData("sip:a\r\nX-Evil: 1")]
    [InlineData("sip:a\r\n")]
    [InlineData("sip:a\n")]
    [InlineData("sip:a\u0000b")]
    [InlineData("sip:a\u007f")]
    public void TryParse_RejectsControlCharacters_WithEscapedEntryInTheText(string text)
    {
        Assert.False(SrsUriList.TryParse(text, 4, out _, out var error));
        Assert.Equal(400, error!.StatusCode);
        Assert.StartsWith("X-Srs-Url entry contains a control character: sip:a", error.Text);
        Assert.DoesNotContain('\r', error.Text);
        Assert.DoesNotContain('\n', error.Text);
        Assert.DoesNotContain('\0', error.Text);
    }

    [Fact]
    public void TryParse_TreatsTabAsWhitespace()
    {
        Assert.True(SrsUriList.TryParse("\tsip:a\t", 4, out var uris, out _));
        Assert.Equal(["sip:a"], uris);
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sips:")]
    [InlineData("sip://host")]
    [InlineData("sip:user@")]
    [InlineData("sip:a b")]
    [InlineData("sip:<a>")]
    public void TryParse_RejectsSipSchemeWithoutUsableHost(string entry)
    {
        Assert.False(SrsUriList.TryParse(entry, 4, out _, out var error));
        Assert.Equal(new RecordingControlError(400, "X-Srs-Url entry is not a valid SIP URI: " + entry), error);
    }

    [Fact]
    public void TryParse_ThrowsOnlyForAnImpossibleMaximum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SrsUriList.TryParse("sip:a", 0, out _, out _));
    }
}
