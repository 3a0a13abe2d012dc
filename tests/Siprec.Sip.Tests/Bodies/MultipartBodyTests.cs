using System.Text;
using Siprec.Sip.Bodies;

namespace Siprec.Sip.Tests.Bodies;

public sealed class MultipartBodyTests
{
    [Fact]
    public void BuildThenParse_ReturnsTheSamePartsIncludingBinary()
    {
        var binary = new byte[256];
        for (var i = 0; i < binary.Length; i++) binary[i] = (byte)i;
        var parts = new[]
        {
            MimePart.Create("application/sdp", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"u8.ToArray()),
            MimePart.Create("application/rs-metadata+xml", "<recording/>\n"u8.ToArray(), "recording-session"),
            MimePart.Create("application/octet-stream", binary),
        };
        var body = MultipartBody.Build(parts, out var boundary);
        Assert.True(MultipartBody.TryParse(body, boundary, out var parsed, out var error), error);
        Assert.Equal(3, parsed.Count);
        for (var i = 0; i < parts.Length; i++)
        {
            Assert.Equal(parts[i].Body.ToArray(), parsed[i].Body.ToArray());
            Assert.Equal(parts[i].ContentType, parsed[i].ContentType);
        }
        Assert.Equal("recording-session", parsed[1].ContentDisposition);
    }

    [Fact]
    public void Build_ChoosesABoundaryAbsentFromEveryPart()
    {
        var body = MultipartBody.Build([MimePart.Create("text/plain", "--siprec-00 siprec-"u8.ToArray())], out var boundary);
        var text = Encoding.ASCII.GetString(body);
        Assert.Equal(2, CountOf(text, boundary));
    }

    [Fact]
    public void TryParse_ToleratesBareLfPreambleAndMissingCloseDelimiter()
    {
        var body = "preamble text\n--b1\nContent-Type: text/plain\n\nfirst\n--b1\nContent-Type: text/other\n\nsecond\n"u8.ToArray();
        Assert.True(MultipartBody.TryParse(body, "b1", out var parts, out var error), error);
        Assert.Equal(["first", "second"], parts.Select(p => Encoding.ASCII.GetString(p.Body.Span)).ToArray());
    }

    [Fact]
    public void TryParse_FailsWithAReasonWhenTheBoundaryIsAbsent()
    {
        Assert.False(MultipartBody.TryParse("no delimiters here"u8, "zzz", out var parts, out var error));
        Assert.Empty(parts);
        Assert.Contains("zzz", error);
    }

    [Fact]
    public void MediaType_ParsesQuotedParameters()
    {
        Assert.True(MediaType.TryParse("Multipart/Mixed; boundary=\"a b\";charset=utf-8", out var type));
        Assert.True(type!.Is("multipart", "mixed"));
        Assert.Equal("a b", type.GetParameter("BOUNDARY"));
        Assert.Equal("multipart/mixed;boundary=\"a b\";charset=utf-8", type.ToString());
    }

    private static int CountOf(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
