using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Messages;

/// <summary>
/// Parsed messages keep header values and the Request-URI as bytes until read (<see cref="ParsedHeaderList"/>,
/// <see cref="SipRequest.RequestUri"/>): what a reader sees must not depend on when or in what order it reads.
/// </summary>
public sealed class ParsedHeaderListTests
{
    private const string Invite =
        "INVITE sip:srs@192.0.2.20:5060;transport=udp SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK3b5f0c9e8a1d4f27;rport\r\n" +
        "v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK77\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:src@192.0.2.10:5070>;tag=6f1c2a9d04e8b371\r\n" +
        "To: <sip:srs@192.0.2.20:5060>\r\n" +
        "Call-ID: 0c4f7a2e9b1d48e6@192.0.2.10\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Subject: a folded\r\n   subject line\r\n" +
        "Contact: <sip:src@192.0.2.10:5070>;+sip.src\r\n" +
        "X-Note: Grüße\r\n" +
        "Content-Length: 0\r\n\r\n";

    private static readonly SipHeader[] Expected =
    [
        new("Via", "SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK3b5f0c9e8a1d4f27;rport"),
        new("v", "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK77"),
        new("Max-Forwards", "70"),
        new("From", "<sip:src@192.0.2.10:5070>;tag=6f1c2a9d04e8b371"),
        new("To", "<sip:srs@192.0.2.20:5060>"),
        new("Call-ID", "0c4f7a2e9b1d48e6@192.0.2.10"),
        new("CSeq", "1 INVITE"),
        new("Subject", "a folded subject line"),
        new("Contact", "<sip:src@192.0.2.10:5070>;+sip.src"),
        new("X-Note", "Grüße"),
        new("Content-Length", "0"),
    ];

    [Fact]
    public void Headers_ReadInAnyOrder_AreTheWireValues()
    {
        var message = Parse(Encoding.UTF8.GetBytes(Invite));

        // One value first, by name, then all of them by index, then by enumeration.
        Assert.Equal("Grüße", message.GetHeader("X-Note"));
        Assert.Equal(Expected.Length, message.Headers.Count);
        for (var i = Expected.Length - 1; i >= 0; i--) Assert.Equal(Expected[i], message.Headers[i]);
        Assert.Equal(Expected, message.Headers);
    }

    [Fact]
    public void GetHeaderValues_SplitsListsAcrossLines_AndMatchesCompactForms()
    {
        var message = Parse(Encoding.UTF8.GetBytes(Invite));

        Assert.Equal(
            ["SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK3b5f0c9e8a1d4f27;rport", "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK77"],
            message.GetHeaderValues("Via"));
        Assert.Equal(2, message.Vias.Count);
        Assert.Equal("a folded subject line", message.GetHeader("s"));
        Assert.Null(message.GetHeader("Route"));
    }

    [Fact]
    public void SpanOverload_KeepsItsOwnCopy_SoValuesReadAfterTheCallerReusesItsBufferAreIntact()
    {
        var buffer = Encoding.UTF8.GetBytes(Invite);
        Assert.True(SipParser.TryParse(buffer.AsSpan(), out var message, out var error), error.Detail);

        buffer.AsSpan().Fill((byte)'#');

        var request = Assert.IsType<SipRequest>(message);
        Assert.Equal("sip:srs@192.0.2.20:5060;transport=udp", request.RequestUri.ToString());
        Assert.Equal(Expected, request.Headers);
    }

    [Fact]
    public void RequestUri_ReadLazily_EqualsTheEagerReading_AndWithReplacesIt()
    {
        var request = Assert.IsType<SipRequest>(Parse(Encoding.UTF8.GetBytes(Invite)));

        var uri = request.RequestUri;
        Assert.Same(uri, request.RequestUri);
        Assert.Equal("srs", uri.User);
        Assert.Equal("192.0.2.20", uri.Host);
        Assert.Equal(5060, uri.Port);
        Assert.Equal("udp", uri.GetParameter("transport"));

        var other = SipUri.Parse("sip:other@192.0.2.30");
        var moved = request with { RequestUri = other };
        Assert.Same(other, moved.RequestUri);
        Assert.StartsWith("INVITE sip:other@192.0.2.30 SIP/2.0\r\n", moved.ToString(), StringComparison.Ordinal);
        Assert.Same(uri, request.RequestUri);
    }

    [Fact]
    public void UnusualRequestUri_IsReadByTheGeneralReader_AtParseTime()
    {
        var text = Invite.Replace("sip:srs@192.0.2.20:5060;transport=udp", "sip:srs@[2001:db8::20]:5060", StringComparison.Ordinal);

        var request = Assert.IsType<SipRequest>(Parse(Encoding.UTF8.GetBytes(text)));

        Assert.Equal("[2001:db8::20]", request.RequestUri.Host);
        Assert.Equal(5060, request.RequestUri.Port);
    }

    [Fact]
    public void ConcurrentReaders_AllSeeTheSameValues()
    {
        var message = Parse(Encoding.UTF8.GetBytes(Invite));

        var seen = new SipHeader[8][];
        Parallel.For(0, seen.Length, i => seen[i] = message.Headers.Reverse().ToArray());

        Assert.All(seen, headers => Assert.Equal(Expected.Reverse(), headers));
    }

    [Theory]
    [InlineData("CSeq: 1 INVITE", "CSeq: one INVITE", "CSeq")]
    [InlineData("To: <sip:srs@192.0.2.20:5060>", "To: <sip:srs@192.0.2.20:5060\r\n  >>", "To")]
    public void HeaderError_GivesTheOffsetOfTheLineTheHeaderStartsOn(string line, string broken, string name)
    {
        var text = Invite.Replace(line, broken, StringComparison.Ordinal);

        Assert.False(SipParser.TryParse(Encoding.UTF8.GetBytes(text).AsMemory(), out _, out var error));

        Assert.Equal(name, error.HeaderName);
        Assert.Equal(text.IndexOf(broken, StringComparison.Ordinal), error.Offset);
    }

    private static SipMessage Parse(byte[] data)
    {
        Assert.True(SipParser.TryParse(data.AsMemory(), out var message, out var error), error.Detail);
        return message!;
    }
}
