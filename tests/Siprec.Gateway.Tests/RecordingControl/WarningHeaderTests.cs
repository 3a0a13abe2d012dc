using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Tests.RecordingControl;

public sealed class WarningHeaderTests
{
    [Fact]
    public void Format_WritesCode399TheAgentAndTheQuotedText()
    {
        Assert.Equal("399 127.0.0.1:5060 \"discarding invalid pauseCallRecording request\"",
            WarningHeader.Format("127.0.0.1:5060", "discarding invalid pauseCallRecording request"));
    }

    [Fact]
    public void Format_EscapesQuotesAndBackslashes_AndDropsControlCharacters()
    {
        var value = WarningHeader.Format("gw", "a \"b\" c\\d\r\ne");

        Assert.Equal("399 gw \"a \\\"b\\\" c\\\\de\"", value);
        Assert.Equal("a \"b\" c\\de", WarningHeader.ReadText(value));
    }

    [Fact]
    public void ReadText_ReturnsNull_ForAValueWithoutAQuotedString()
    {
        Assert.Null(WarningHeader.ReadText("399 gw"));
        Assert.Null(WarningHeader.ReadText(null));
    }
}
