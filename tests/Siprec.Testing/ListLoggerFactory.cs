using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Siprec.Testing;

/// <summary>A logger factory that keeps every formatted line with its event id and the CallSid and SiprecSid scopes, for asserting log lines.</summary>
public sealed class ListLoggerFactory : ILoggerFactory
{
    /// <summary>Every line logged, in order.</summary>
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message, string? CallSid, string? SiprecSid)> Lines { get; } = new();

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
        private static readonly AsyncLocal<string?> CurrentSiprecSid = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            if (state is not IEnumerable<KeyValuePair<string, object>> fields)
                return null;
            foreach (var (key, local) in new[] { ("CallSid", CurrentCallSid), ("SiprecSid", CurrentSiprecSid) })
            {
                if (fields.FirstOrDefault(f => f.Key == key).Value is string sid)
                {
                    var previous = local.Value;
                    local.Value = sid;
                    return new Restore(local, previous);
                }
            }
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((eventId.Id, logLevel, formatter(state, exception), CurrentCallSid.Value, CurrentSiprecSid.Value));

        private sealed class Restore(AsyncLocal<string?> local, string? previous) : IDisposable
        {
            public void Dispose() => local.Value = previous;
        }
    }
}
