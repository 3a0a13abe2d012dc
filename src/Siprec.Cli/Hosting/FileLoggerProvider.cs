using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Siprec.Cli.Hosting;

/// <summary>
/// Writes log lines to one file, in the console's single-line shape (<c>time level: category[event] => scopes
/// message</c>), so a command whose standard output is a report (the demo) keeps its log out of the report. A scope
/// equal to an enclosing one (the call's <c>CallSid</c> opened again by a nested component) is written once.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Creates (or truncates) <paramref name="path"/>, creating its folder.</summary>
    public FileLoggerProvider(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }

    private void Write(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        var line = new StringBuilder();
        line.Append(DateTimeOffset.Now.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture))
            .Append(LevelName(level)).Append(": ").Append(category).Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        var seen = new List<string>();
        _scopes.ForEachScope((scope, _) =>
        {
            var text = scope?.ToString();
            if (text is { Length: > 0 } && !seen.Contains(text)) seen.Add(text);
        }, (object?)null);
        foreach (var scope in seen) line.Append(" => ").Append(scope);
        line.Append(' ').Append(message);
        if (exception is not null) line.AppendLine().Append(exception);
        lock (_gate) _writer.WriteLine(line.ToString());
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(category, logLevel, eventId, formatter(state, exception), exception);
        }
    }
}
