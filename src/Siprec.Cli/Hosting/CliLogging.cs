using Microsoft.Extensions.Logging;

namespace Siprec.Cli.Hosting;

/// <summary>Console logging for the command line: to standard error, one line per event.</summary>
internal static class CliLogging
{
    /// <summary>A logger factory writing at <paramref name="level"/> and above to standard error.</summary>
    public static ILoggerFactory Create(LogLevel level) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.IncludeScopes = true;
            })
            .AddFilter((_, l) => l >= level)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}
