using System.Text;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Messages;

public sealed class SipRoundTripTests
{
    private const string Invite =
        "INVITE sip:bob@192.0.2.4:5060;transport=udp SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>\r\n" +
        "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:alice@192.0.2.1>;+sip.src\r\n" +
        "X-Custom: a, b, \"c, d\"\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n\r\nv=0\n";

    [Fact]
    public void ParseSerializeParse_KeepsHeadersAndBodyByteExact()
    {
        Assert.True(SipParser.TryParse(Encoding.UTF8.GetBytes(Invite), out var first, out _));
        var bytes = SipSerializer.Serialize(first!);
        Assert.True(SipParser.TryParse(bytes, out var second, out var error), error.Detail);
        Assert.Equal(first!.Headers.Where(h => h.Name != "Content-Length"), second!.Headers.Where(h => h.Name != "Content-Length"));
        Assert.Equal(first.Body.ToArray(), second.Body.ToArray());
        Assert.Equal(Invite, Encoding.UTF8.GetString(bytes));
    }

    [SkippableTheory]
    [InlineData("wsinv.dat")]
    [InlineData("intmeth.dat")]
    [InlineData("esc01.dat")]
    [InlineData("escnull.dat")]
    [InlineData("esc02.dat")]
    [InlineData("lwsdisp.dat")]
    [InlineData("longreq.dat")]
    [InlineData("semiuri.dat")]
    [InlineData("transports.dat")]
    [InlineData("mpart01.dat")]
    [InlineData("unreason.dat")]
    [InlineData("noreason.dat")]
    public void ConformanceMessage_SurvivesParseSerializeParse(string file)
    {
        Assert.True(SipParser.TryParse(File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc4475", file)), out var first, out _));
        Assert.True(SipParser.TryParse(SipSerializer.Serialize(first!), out var second, out var error), error.Detail);
        Assert.Equal(first!.Headers.Count, second!.Headers.Count);
        Assert.Equal(first.Body.ToArray(), second.Body.ToArray());
        Assert.Equal(first.CallId, second.CallId);
        Assert.Equal(first.CSeq, second.CSeq);
    }

    [Fact]
    public void TryParse_ReturnsIncomplete_ForEveryPrefixOfValidMessage()
    {
        var bytes = Encoding.UTF8.GetBytes(Invite);
        for (var length = 1; length < bytes.Length; length++)
        {
            Assert.False(SipParser.TryParse(bytes.AsSpan(0, length), out _, out var error));
            Assert.Contains(error.Reason, new[] { SipParseErrorReason.Incomplete });
        }
    }

    [Fact]
    public void CompactForms_MatchLongNames()
    {
        var text = "OPTIONS sip:x@example.com SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:x@example.com>\r\n" +
                   "i: abc\r\nCSeq: 1 OPTIONS\r\nm: <sip:a@h>\r\nk: timer\r\nc: text/plain\r\nl: 2\r\n\r\nhi";
        Assert.True(SipParser.TryParse(Encoding.ASCII.GetBytes(text), out var message, out var error), error.Detail);
        Assert.Equal("abc", message!.CallId);
        Assert.Equal("1", message.From!.Tag);
        Assert.Equal("h", message.Vias[0].Host);
        Assert.Equal("timer", message.GetHeader("Supported"));
        Assert.Equal("text/plain", message.ContentType);
        Assert.Equal("a", message.Contact!.Uri.User);
        var replaced = message.SetHeader("Call-ID", "new");
        Assert.Equal("new", replaced.CallId);
        Assert.Single(replaced.Headers, h => h.Name is "i" or "Call-ID");
    }

    [Fact]
    public void Serialize_WritesContentLengthFromTheBody()
    {
        var request = new SipRequest("INFO", SipUri.Parse("sip:a@b")) { Headers = [new SipHeader("Content-Length", "99")] }
            .WithBody("application/json", "{\"é\":1}"u8.ToArray());
        var text = Encoding.UTF8.GetString(SipSerializer.Serialize(request));
        Assert.Contains("Content-Length: 8\r\n", text);
        Assert.DoesNotContain("99", text);
    }

    [Fact]
    public void SerializeIntoABufferWriter_WritesTheSameBytes_AfterWhatIsAlreadyThere()
    {
        Assert.True(SipParser.TryParse(Encoding.UTF8.GetBytes(Invite), out var request, out _));
        var response = SipResponse.CreateFor((SipRequest)request!, 486, toTag: "x1") with { Headers = [] };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(16);
        System.Buffers.BuffersExtensions.Write(buffer, "prefix"u8);

        var requestLength = SipSerializer.Serialize(request!, buffer);
        var responseLength = SipSerializer.Serialize(response, buffer);

        var expected = "prefix"u8.ToArray().Concat(SipSerializer.Serialize(request!)).Concat(SipSerializer.Serialize(response)).ToArray();
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        Assert.Equal(Invite.Length, requestLength);
        Assert.Equal("SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n".Length, responseLength);
    }

    [Fact]
    public void BareLfMessage_IsAccepted()
    {
        var text = Invite.Replace("\r\n", "\n").Replace("Content-Length: 4", "Content-Length: 4");
        Assert.True(SipParser.TryParse(Encoding.ASCII.GetBytes(text), out var message, out var error), error.Detail);
        Assert.Equal("v=0\n", Encoding.ASCII.GetString(message!.Body.Span));
    }

    [Fact]
    public void GetHeaderValues_SplitsListsRespectingQuotes()
    {
        Assert.True(SipParser.TryParse(Encoding.UTF8.GetBytes(Invite), out var message, out _));
        Assert.Equal(["a", "b", "\"c, d\""], message!.GetHeaderValues("x-custom"));
    }

    [Fact]
    public void CreateFor_CopiesTransactionHeadersAndAddsToTag()
    {
        Assert.True(SipParser.TryParse(Encoding.UTF8.GetBytes(Invite), out var message, out _));
        var response = SipResponse.CreateFor((SipRequest)message!, 486, toTag: "xyz");
        Assert.NotNull(message);
        Assert.Equal("Busy Here", response.ReasonPhrase);
        Assert.Equal("xyz", response.To!.Tag);
        Assert.Equal(message.CallId, response.CallId);
        Assert.Equal(message.CSeq, response.CSeq);
        Assert.Equal("z9hG4bK776asdhds", response.Vias[0].Branch);
        Assert.Null(response.GetHeader("Contact"));
    }
}
