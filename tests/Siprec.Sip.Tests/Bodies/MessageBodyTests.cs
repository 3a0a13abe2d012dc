using System.Text;
using Siprec.Sip.Bodies;

namespace Siprec.Sip.Tests.Bodies;

public sealed class MessageBodyTests
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    private const string Metadata = "<recording xmlns='urn:ietf:params:xml:ns:recording:1'/>\r\n";

    /// <summary>Metadata first, SDP second, framed by <paramref name="boundary"/>, as SRCs send it.</summary>
    private static byte[] TwoParts(string boundary, string sdpType = "application/sdp") => Encoding.UTF8.GetBytes(
        $"--{boundary}\r\nContent-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n{Metadata}\r\n"
        + $"--{boundary}\r\nContent-Type: {sdpType}\r\n\r\n{Sdp}\r\n--{boundary}--\r\n");

    private static string Text(MimePart? part) => Encoding.UTF8.GetString(part!.Body.Span);

    [Fact]
    public void TryFindPart_ReturnsTheWholeBody_WhenItIsOfTheWantedType()
    {
        var body = Encoding.UTF8.GetBytes(Sdp);

        Assert.True(MessageBody.TryFindPart("Application/SDP", body, "application", "sdp", out var part, out var error), error);

        Assert.Null(error);
        Assert.Equal(Sdp, Text(part));
        Assert.Equal("Application/SDP", part!.ContentType);
    }

    [Theory]
    [InlineData("multipart/mixed")]
    [InlineData("multipart/alternative")]
    [InlineData("multipart/related")]
    public void TryFindPart_ReturnsTheMatchingPartOfAnyMultipartType(string multipart)
    {
        var body = TwoParts("b1");

        Assert.True(MessageBody.TryFindPart($"{multipart};boundary=b1", body, "application", "sdp", out var sdp, out var error), error);
        Assert.True(MessageBody.TryFindPart($"{multipart};boundary=b1", body, "application", "rs-metadata+xml", out var metadata, out error), error);

        Assert.Equal(Sdp, Text(sdp));
        Assert.Equal(Metadata, Text(metadata));
        Assert.Equal("recording-session", metadata!.ContentDisposition);
    }

    [Fact]
    public void TryFindPart_ReturnsTheFirstMatchingPart_WhenSeveralMatch()
    {
        var body = "--b1\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b1--\r\n"u8.ToArray();

        Assert.True(MessageBody.TryFindPart("multipart/alternative;boundary=b1", body, "text", "plain", out var part, out var error), error);

        Assert.Equal("first", Text(part));
    }

    [Fact]
    public void TryFindPart_UsesAQuotedBoundaryWithoutItsQuotes()
    {
        var body = TwoParts("a b:c");

        Assert.True(MessageBody.TryFindPart("multipart/mixed; boundary=\"a b:c\"", body, "application", "sdp", out var part, out var error), error);

        Assert.Equal(Sdp, Text(part));
    }

    [Theory]
    [InlineData("multipart/mixed")]
    [InlineData("multipart/mixed;boundary=\"\"")]
    public void TryFindPart_FallsBackToTheFirstDelimiterLine_WhenTheBoundaryParameterIsMissingOrEmpty(string contentType)
    {
        var body = Encoding.UTF8.GetBytes("preamble\n" + Encoding.UTF8.GetString(TwoParts("vendor-42")).Replace("\r\n", "\n"));

        Assert.True(MessageBody.TryFindPart(contentType, body, "application", "sdp", out var part, out var error), error);

        Assert.Equal(Sdp.Replace("\r\n", "\n"), Text(part));
    }

    [Fact]
    public void TryFindPart_NamesTheWantedTypeAndTheParts_WhenNoPartMatches()
    {
        var body = TwoParts("b1", sdpType: "text/plain");

        Assert.False(MessageBody.TryFindPart("multipart/alternative;boundary=b1", body, "application", "sdp", out var part, out var error));

        Assert.Null(part);
        Assert.Equal("multipart/alternative body has no application/sdp part; parts: application/rs-metadata+xml, text/plain", error);
    }

    [Fact]
    public void TryFindPart_RefusesASinglePartBodyOfAnotherType_NamingTheContentType()
    {
        Assert.False(MessageBody.TryFindPart("text/plain", "hello"u8.ToArray(), "application", "sdp", out var part, out var error));

        Assert.Null(part);
        Assert.Equal("Content-Type 'text/plain' is neither application/sdp nor multipart/*", error);
    }

    [Theory]
    [InlineData("application", "'application'")]
    [InlineData("/sdp", "'/sdp'")]
    [InlineData("multipart/mixed;boundary", "'multipart/mixed;boundary'")]
    [InlineData(null, "Content-Type is missing")]
    [InlineData("  ", "Content-Type is missing")]
    public void TryFindPart_RefusesAMissingOrUnparsableContentType_NamingTheValue(string? contentType, string expected)
    {
        Assert.False(MessageBody.TryFindPart(contentType, Encoding.UTF8.GetBytes(Sdp), "application", "sdp", out var part, out var error));

        Assert.Null(part);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFindPart_RefusesAnEmptyBody_EvenWithAMatchingContentType()
    {
        Assert.False(MessageBody.TryFindPart("application/sdp", ReadOnlyMemory<byte>.Empty, "application", "sdp", out var part, out var error));

        Assert.Null(part);
        Assert.Equal("the body is empty", error);
    }

    [Fact]
    public void TryFindPart_RefusesAMultipartBodyWithoutBoundaryParameterOrDelimiterLine()
    {
        Assert.False(MessageBody.TryFindPart("multipart/mixed", Encoding.UTF8.GetBytes(Sdp), "application", "sdp", out _, out var error));

        Assert.Equal("multipart/mixed body has neither a boundary parameter nor a '--' delimiter line", error);
    }

    [Fact]
    public void TryFindPart_RefusesAMultipartBodyThatDoesNotContainItsBoundary()
    {
        Assert.False(MessageBody.TryFindPart("multipart/mixed;boundary=zzz", TwoParts("b1"), "application", "sdp", out _, out var error));

        Assert.StartsWith("multipart/mixed body unreadable: ", error, StringComparison.Ordinal);
        Assert.Contains("--zzz", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TrySplit_ReturnsAllPartsOfAMultipartBody_AndANonMultipartBodyAsOnePart()
    {
        Assert.True(MessageBody.TrySplit("multipart/mixed;boundary=b1", TwoParts("b1"), out var parts, out var error), error);
        Assert.True(MessageBody.TrySplit("application/sdp", Encoding.UTF8.GetBytes(Sdp), out var single, out error), error);

        Assert.Equal(["application/rs-metadata+xml", "application/sdp"], parts.Select(p => p.ContentType));
        Assert.Equal(Sdp, Text(Assert.Single(single)));
    }

    [Fact]
    public void FindPart_TreatsAPartWithoutContentTypeAsTextPlain_AndSkipsUnparsableOnes()
    {
        var parts = new[]
        {
            MimePart.Create("not a media type", "bad"u8.ToArray()),
            new MimePart([], "implied"u8.ToArray()),
        };

        Assert.Equal("implied", Text(MessageBody.FindPart(parts, "text", "plain")));
        Assert.Null(MessageBody.FindPart(parts, "application", "sdp"));
        Assert.Equal("not a media type, (no Content-Type)", MessageBody.DescribeParts(parts));
    }

    [Theory]
    [InlineData("\r\n--abc \r\nContent-Type: text/plain\r\n", "abc")]
    [InlineData("preamble\n-x\n--b1\n", "b1")]
    [InlineData("no delimiter\n--\n", null)]
    public void FirstDelimiter_ReadsTheBoundaryFromTheFirstLineStartingWithTwoDashes(string body, string? expected)
    {
        Assert.Equal(expected, MessageBody.FirstDelimiter(Encoding.UTF8.GetBytes(body)));
    }
}
