using Microsoft.Extensions.Logging;

namespace Siprec.FlowNode.Testing;

/// <summary>Collects formatted log lines for <see cref="NodeTestHost"/>, optionally forwarding them to another factory.</summary>
internal sealed class CapturingLoggerFactory(ILoggerFactory? forwardTo) : ILoggerFactory
{
    private readonly List<NodeLogEntry> _entries = [];

    public IReadOnlyList<NodeLogEntry> Entries
    {
        get { lock (_entries) return _entries.ToArray(); }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName, forwardTo?.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add(NodeLogEntry entry)
    {
        lock (_entries) _entries.Add(entry);
    }

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category, ILogger? next) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => next?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Add(new NodeLogEntry(logLevel, category, formatter(state, exception)));
            next?.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
