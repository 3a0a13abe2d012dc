using System.Runtime.InteropServices;
using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Messages;

/// <summary>The <see cref="SipParser.TryParse(ReadOnlyMemory{byte}, out SipMessage?, out SipParseError)"/> overload: same verdicts, body not copied.</summary>
public sealed class SipParserZeroCopyTests
{
    private const string Invite =
        "INVITE sip:srs@192.0.2.20:5060;transport=udp SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK3b5f0c9e8a1d4f27;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:src@192.0.2.10:5070>;tag=6f1c2a9d04e8b371\r\n" +
        "To: <sip:srs@192.0.2.20:5060>\r\n" +
        "Call-ID: 0c4f7a2e9b1d48e6@192.0.2.10\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:src@192.0.2.10:5070>;+sip.src\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n\r\nv=0\ntrailing";

    [Fact]
    public void MemoryOverload_BodyIsASliceOfTheCallersBuffer()
    {
        var buffer = Encoding.UTF8.GetBytes(Invite);
        Assert.True(SipParser.TryParse(buffer.AsMemory(), out var message, out var error), error.Detail);
        Assert.True(MemoryMarshal.TryGetArray(message!.Body, out var segment));
        Assert.Same(buffer, segment.Array);
        Assert.Equal(Invite.IndexOf("v=0", StringComparison.Ordinal), segment.Offset);
        Assert.Equal("v=0\n", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public void SpanOverload_CopiesTheBody_SoTheCallerMayReuseItsBuffer()
    {
        var buffer = Encoding.UTF8.GetBytes(Invite);
        Assert.True(SipParser.TryParse(buffer.AsSpan(), out var message, out _));
        Array.Clear(buffer);
        Assert.Equal("v=0\n", Encoding.UTF8.GetString(message!.Body.Span));
    }

    [Fact]
    public void MemoryOverload_ReadsTheSameMessageAsTheSpanOverload()
    {
        var buffer = Encoding.UTF8.GetBytes(Invite);
        Assert.True(SipParser.TryParse(buffer.AsSpan(), out var copied, out _));
        Assert.True(SipParser.TryParse(buffer.AsMemory(), out var sliced, out _));
        var request = Assert.IsType<SipRequest>(sliced);
        Assert.Equal(((SipRequest)copied!).RequestUri.ToString(), request.RequestUri.ToString());
        Assert.Equal(SipMethods.Invite, request.Method);
        Assert.Equal(copied.Headers, sliced!.Headers);
        Assert.Equal(SipSerializer.Serialize(copied), SipSerializer.Serialize(sliced));
    }

    [SkippableFact]
    public void MemoryOverload_GivesTheSameVerdictAndError_ForEveryRfc4475Message()
    {
        Siprec.Testing.Conformance.SkipIfMissing();
        var files = Directory.GetFiles(Siprec.Testing.Conformance.File("rfc4475"), "*.dat");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var data = File.ReadAllBytes(file);
            var spanOk = SipParser.TryParse(data.AsSpan(), out var fromSpan, out var spanError);
            var memoryOk = SipParser.TryParse(data.AsMemory(), out var fromMemory, out var memoryError);
            Assert.True(spanOk == memoryOk, Path.GetFileName(file));
            Assert.Equal(spanError, memoryError);
            if (spanOk)
            {
                Assert.Equal(fromSpan!.Headers, fromMemory!.Headers);
                Assert.Equal(fromSpan.Body.ToArray(), fromMemory.Body.ToArray());
            }
        }
    }

    [Fact]
    public void MemoryOverload_ReportsTheSameErrorAsTheSpanOverload_ForABadHeader()
    {
        var data = Encoding.UTF8.GetBytes(Invite.Replace("CSeq: 1 INVITE", "CSeq: one INVITE", StringComparison.Ordinal));
        Assert.False(SipParser.TryParse(data.AsMemory(), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(SipParseErrorReason.BadCSeq, error.Reason);
        Assert.Equal("CSeq", error.HeaderName);
        Assert.Contains("one INVITE", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderName_MayBeFollowedByWhitespaceBeforeTheColon_AndValuesKeepNonAsciiText()
    {
        var text = Invite.Replace("Max-Forwards: 70", "Max-Forwards \t: 70").Replace("Content-Type:", "Subject: Grüße\r\nContent-Type:");

        Assert.True(SipParser.TryParse((ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(text), out var message, out var error), error.Detail);
        Assert.Equal("70", message!.GetHeader("Max-Forwards"));
        Assert.Equal("Grüße", message.GetHeader("Subject"));
    }

    [Theory]
    [InlineData("Max Forwards: 70")]
    [InlineData("Max-Forwards 70")]
    [InlineData(": 70")]
    [InlineData("Max-Forwärds: 70")]
    public void HeaderLine_WithoutATokenAndColon_IsRejectedNamingTheLine(string line)
    {
        var text = Invite.Replace("Max-Forwards: 70", line);

        Assert.False(SipParser.TryParse((ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(text), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(SipParseErrorReason.BadHeader, error.Reason);
        Assert.Contains($"malformed header line: '{line}'", error.Detail, StringComparison.Ordinal);
    }
}
