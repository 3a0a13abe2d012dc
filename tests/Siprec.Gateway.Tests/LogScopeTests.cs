using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.Tests;

/// <summary>
/// The call and recording scopes: code that opens them is often called by code that already did; a log line must carry
/// each SID once (a text console printed <c>CallSid=… => SiprecSid=… => CallSid=… => SiprecSid=…</c>).
/// </summary>
public sealed class LogScopeTests
{
    [Fact]
    public void NestedScopesForTheSameCall_PutEachSidOnTheLineOnce_AndCloseInOrder()
    {
        var provider = new ScopeCapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        var logger = factory.CreateLogger("test");

        using (LogScope.ForCall(logger, "CA1"))
        {
            using (LogScope.ForRecording(logger, "SR1"))
            using (LogScope.ForCall(logger, "CA1"))
            using (LogScope.ForRecording(logger, "SR1"))
            {
                logger.LogInformation("inner");
            }
            logger.LogInformation("after the recording");
        }
        logger.LogInformation("outside");

        Assert.Equal(["CallSid=CA1 | SiprecSid=SR1", "CallSid=CA1", ""], provider.Lines.Select(l => l.Scopes).ToArray());
    }

    [Fact]
    public void AnotherCallInsideACall_IsScopedToo()
    {
        var provider = new ScopeCapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        var logger = factory.CreateLogger("test");

        using (LogScope.ForCall(logger, "CA1"))
        using (LogScope.ForCall(logger, "CA2"))
        {
            logger.LogInformation("inner");
        }

        Assert.Equal("CallSid=CA1 | CallSid=CA2", Assert.Single(provider.Lines).Scopes);
    }

    private sealed class ScopeCapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, string Scopes)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
                owner.Lines.Enqueue((formatter(state, exception), string.Join(" | ", scopes)));
            }
        }
    }
}
