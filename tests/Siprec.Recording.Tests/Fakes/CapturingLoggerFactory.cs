using Microsoft.Extensions.Logging;

namespace Siprec.Recording.Tests.Fakes;

/// <summary>A logger factory whose loggers keep every formatted line (any level), for tests that check what the operator reads.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<string> _lines = [];

    /// <summary>Every line logged so far, as formatted; a snapshot.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
                owner._lines.Add(formatter(state, exception));
        }
    }
}
