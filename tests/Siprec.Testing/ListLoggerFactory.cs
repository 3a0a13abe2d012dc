using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Siprec.Testing;

/// <summary>A logger factory that keeps every formatted line with its event id and the CallSid scope, for asserting log lines.</summary>
public sealed class ListLoggerFactory : ILoggerFactory
{
    /// <summary>Every line logged, in order.</summary>
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message, string? CallSid)> Lines { get; } = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerFactory owner) : ILogger
    {
        private static readonly AsyncLocal<string?> CurrentCallSid = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            if (state is IEnumerable<KeyValuePair<string, object>> fields && fields.FirstOrDefault(f => f.Key == "CallSid").Value is string sid)
            {
                var previous = CurrentCallSid.Value;
                CurrentCallSid.Value = sid;
                return new Restore(previous);
            }
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((eventId.Id, logLevel, formatter(state, exception), CurrentCallSid.Value));

        private sealed class Restore(string? previous) : IDisposable
        {
            public void Dispose() => CurrentCallSid.Value = previous;
        }
    }
}
