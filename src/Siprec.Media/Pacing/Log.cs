using Microsoft.Extensions.Logging;

namespace Siprec.Media.Pacing;

internal static partial class Log
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Error, Message = "a paced media stream threw on the media clock; it leaves the clock")]
    public static partial void StreamFailed(ILogger logger, Exception exception);
}
