using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Callbacks;

/// <summary>
/// Delivers status callbacks off the call's path (DESIGN §4.4): <see cref="Enqueue"/> never blocks (a full queue drops
/// and logs), a worker sends each callback up to <see cref="CallbackOptions.MaxAttempts"/> times with doubling back-off
/// (a Polly retry pipeline from Microsoft.Extensions.Http.Resilience's stack, on the dispatcher's clock), a few at a time,
/// and then drops it. A dead callback URL therefore never delays or breaks a recording.
/// </summary>
internal sealed class CallbackDispatcher : IAsyncDisposable
{
    private readonly ICallbackSender _sender;
    private readonly CallbackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<StatusCallback> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _slots;
    private readonly Task _worker;
    private readonly ResiliencePipeline<CallbackAttempt> _retry;
    private long _delivered;
    private long _dropped;

    /// <param name="sender">Makes one HTTP request.</param>
    /// <param name="options">Tries, back-off, queue size, concurrency.</param>
    /// <param name="time">Clock for the back-off.</param>
    /// <param name="logger">Logger.</param>
    public CallbackDispatcher(ICallbackSender sender, CallbackOptions options, TimeProvider time, ILogger<CallbackDispatcher> logger)
    {
        _sender = sender;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<StatusCallback>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _slots = new SemaphoreSlim(options.MaxConcurrentDeliveries, options.MaxConcurrentDeliveries);
        _retry = BuildRetry(options, time);
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Callbacks answered 2xx so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Callbacks given up on (all tries failed, or the queue was full).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// The callback for a session's status change, or null when the session asked for none. Fields per DESIGN §4.4;
    /// <c>Timestamp</c> in RFC 2822; on error <c>SiprecErrorCode</c> is a <see cref="RestErrorCodes"/> code and <c>SiprecError</c>
    /// ends with the SIP outcome, e.g. <c>(SIP 503)</c>.
    /// </summary>
    public static StatusCallback? For(RecordingStatusChange change, DateTimeOffset now)
    {
        var resource = change.Resource;
        if (resource.Options.StatusCallback is not { } url)
        {
            return null;
        }
        var fields = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", resource.AccountSid ?? ""),
            new("CallSid", resource.CallSid),
            new("SiprecSid", resource.Sid),
            new("SiprecName", resource.Name ?? ""),
            new("SiprecEvent", change.Event),
            new("Timestamp", Rfc2822Time.Format(now)),
        };
        if (change.Event == RecordingStatusChange.Error)
        {
            // Twilio-style code (RestErrorCodes); the SIP outcome is in the text.
            fields.Add(new("SiprecError", RestErrorCodes.CallbackText(change)));
            fields.Add(new("SiprecErrorCode", RestErrorCodes.ForStatusChange(change).ToString(CultureInfo.InvariantCulture)));
        }
        return new StatusCallback(url, resource.Options.StatusCallbackMethod, fields);
    }

    /// <summary>Queues a callback; never blocks. False (and a log line) when the queue is full or the dispatcher stopped.</summary>
    public bool Enqueue(StatusCallback callback)
    {
        if (_queue.Writer.TryWrite(callback))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        Log.QueueFull(_logger, callback.Get("SiprecEvent") ?? "", callback.Url.Authority, _options.QueueCapacity);
        return false;
    }

    /// <summary>Stops taking callbacks, abandons those not yet delivered and waits for the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        (_sender as IDisposable)?.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        await foreach (var callback in _queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            _ = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(callback, token).ConfigureAwait(false);
                }
                finally
                {
                    _slots.Release();
                }
            }, CancellationToken.None);
        }
    }

    private async Task DeliverAsync(StatusCallback callback, CancellationToken token)
    {
        var statusEvent = callback.Get("SiprecEvent") ?? "";
        var host = callback.Url.Authority;
        using var callScope = LogScope.ForCall(_logger, callback.Get("CallSid") ?? "");
        using var recordingScope = LogScope.ForRecording(_logger, callback.Get("SiprecSid") ?? "");
        try
        {
            // A try that was not delivered is retried; an exception from the sender is not (it ends the delivery at once).
            var context = ResilienceContextPool.Shared.Get(token);
            var attempt = 0;
            try
            {
                var result = await _retry.ExecuteOutcomeAsync(async (ctx, state) =>
                {
                    attempt++;
                    var outcome = await _sender.SendAsync(state, ctx.CancellationToken).ConfigureAwait(false);
                    if (!outcome.Delivered) Log.AttemptFailed(_logger, statusEvent, host, attempt, _options.MaxAttempts, outcome.Detail);
                    return Outcome.FromResult(outcome);
                }, context, callback).ConfigureAwait(false);
                result.ThrowIfException();
                if (result.Result is { Delivered: true } delivered)
                {
                    Interlocked.Increment(ref _delivered);
                    Log.Delivered(_logger, statusEvent, host, delivered.Detail, attempt);
                    return;
                }
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
            Interlocked.Increment(ref _dropped);
            Log.GaveUp(_logger, statusEvent, host, _options.MaxAttempts);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _dropped);
            Log.Failed(_logger, ex, statusEvent, host);
        }
    }

    /// <summary>
    /// At most <see cref="CallbackOptions.MaxAttempts"/> tries, the second <see cref="CallbackOptions.FirstRetryDelay"/>
    /// after the first failure and each later one twice as late (no jitter, so the back-off is what the options say),
    /// waiting on <paramref name="time"/>.
    /// </summary>
    private static ResiliencePipeline<CallbackAttempt> BuildRetry(CallbackOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<CallbackAttempt> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<CallbackAttempt>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Delivered: false }),
            });
        }
        return builder.Build();
    }
}
