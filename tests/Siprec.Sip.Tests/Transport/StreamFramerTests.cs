using System.Text;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Transport;

public sealed class StreamFramerTests
{
    private const string Message = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 5\r\n\r\nhello";

    [Fact]
    public void TryFrame_FindsExactlyOneMessage_ByContentLength_IncludingTheCompactForm()
    {
        var bytes = Encoding.ASCII.GetBytes(Message + Message);
        Assert.Equal(StreamFrame.Message, StreamFramer.TryFrame(bytes, 65536, out var consumed, out _));
        Assert.Equal(Message.Length, consumed);
    }

    [Fact]
    public void TryFrame_ReportsIncomplete_ForEveryPrefixOfAMessage()
    {
        var bytes = Encoding.ASCII.GetBytes(Message);
        for (var length = 1; length < bytes.Length; length++)
        {
            Assert.Equal(StreamFrame.Incomplete, StreamFramer.TryFrame(bytes.AsSpan(0, length), 65536, out _, out _));
        }
    }

    [Fact]
    public void TryFrame_RejectsAMessageWithoutContentLength_NamingTheRule()
    {
        var bytes = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n");
        Assert.Equal(StreamFrame.Error, StreamFramer.TryFrame(bytes, 65536, out _, out var error));
        Assert.Contains("missing Content-Length", error);
    }

    [Fact]
    public void TryFrame_RejectsAMessageLargerThanMaxMessageSize_BeforeItsBodyArrives()
    {
        var bytes = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 999999\r\n\r\n");
        Assert.Equal(StreamFrame.Error, StreamFramer.TryFrame(bytes, 65536, out _, out var error));
        Assert.Contains("exceeds MaxMessageSize (65536 bytes)", error);
    }

    [Fact]
    public void TryFrame_RejectsNonNumericContentLength_NamingTheValue()
    {
        var bytes = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 12a\r\n\r\n");
        Assert.Equal(StreamFrame.Error, StreamFramer.TryFrame(bytes, 65536, out _, out var error));
        Assert.Contains("'12a'", error);
    }

    [Fact]
    public void TryFrame_ReadsDoubleCrlfAsPing_AndSingleCrlfAsPong()
    {
        Assert.Equal(StreamFrame.Ping, StreamFramer.TryFrame("\r\n\r\n"u8, 65536, out var ping, out _));
        Assert.Equal(4, ping);
        Assert.Equal(StreamFrame.Pong, StreamFramer.TryFrame("\r\nOPTIONS"u8, 65536, out var pong, out _));
        Assert.Equal(2, pong);
    }
}
