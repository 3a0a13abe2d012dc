using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Siprec.Cli.Hosting;

/// <summary>Console logging for the command line: to standard error (standard output carries the results), one line per event.</summary>
internal static class CliLogging
{
    /// <summary>A logger factory writing at <paramref name="level"/> and above to standard error.</summary>
    public static ILoggerFactory Create(LogLevel level) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.IncludeScopes = true;
            }));

    /// <summary>A logger factory writing at <paramref name="level"/> and above to the file <paramref name="path"/> (created or truncated).</summary>
    public static ILoggerFactory CreateForFile(LogLevel level, string path) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddProvider(new FileLoggerProvider(path)));
}
