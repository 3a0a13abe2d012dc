using Microsoft.Extensions.Logging;

namespace Siprec.Media.Wav;

internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information,
        Message = "Recording channel {Channel} timestamp jumped {JumpSamples} samples against {ArrivalSamples} samples of arrival time; re-anchored at frame {Position}")]
    public static partial void ChannelReanchored(ILogger logger, int channel, long jumpSamples, long arrivalSamples, long position);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "Recording buffer exceeded {Seconds} s ahead of the file; writing {Frames} frames early")]
    public static partial void PendingOverflow(ILogger logger, int seconds, long frames);
}
