using Microsoft.Extensions.Logging;
using Moq;
using Siprec.Gateway.Callbacks;
using Siprec.Gateway.Configuration;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Callbacks;

/// <summary>The dispatcher's error paths (DESIGN §4.4): a full queue, an endpoint that keeps failing, a sender that throws.</summary>
public sealed class CallbackDispatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10); // a hang guard, not a timing

    private static StatusCallback Callback(string statusEvent) => new(new Uri("http://callbacks.example.test/status"), "POST",
        [new("CallSid", "CA1"), new("SiprecSid", "SR1"), new("SiprecEvent", statusEvent)]);

    private static CallbackDispatcher Dispatcher(ICallbackSender sender, CallbackOptions options, TimeProvider time, ListLoggerFactory logs) =>
        new(sender, options, time, logs.CreateLogger<CallbackDispatcher>());

    [Fact]
    public async Task Enqueue_OnAFullQueue_DropsTheCallback_CountsIt_AndLogsIt_WithoutBlocking()
    {
        var logs = new ListLoggerFactory();
        var release = new TaskCompletionSource<CallbackAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new Mock<ICallbackSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<StatusCallback>(), It.IsAny<CancellationToken>())).Returns(release.Task);
        await using var dispatcher = Dispatcher(sender.Object, new CallbackOptions { QueueCapacity = 1, MaxConcurrentDeliveries = 1 }, TimeProvider.System, logs);

        // The first callback holds the only delivery slot; then at most two more fit: one the worker holds while it waits
        // for the slot, one in the queue of capacity 1. Whether the worker took the second yet decides which one is refused.
        Assert.True(dispatcher.Enqueue(Callback("siprec-started")));
        await Poll.UntilAsync(() => sender.Invocations.Count == 1, Bound, "the first delivery to hold the only slot");
        var accepted = new[] { "siprec-paused", "siprec-resumed", "siprec-stopped" }.Select(e => (Event: e, Queued: dispatcher.Enqueue(Callback(e)))).ToList();

        var refused = accepted.Where(a => !a.Queued).ToList();
        Assert.NotEmpty(refused);
        Assert.True(accepted[0].Queued);
        Assert.Equal(refused.Count, dispatcher.Dropped);
        Assert.All(refused, r => Assert.Contains(logs.Lines, l => l.EventId == 1403 && l.Level == LogLevel.Warning
            && l.Message == $"{r.Event} callback to callbacks.example.test dropped: 1 callbacks already queued"));

        release.SetResult(new CallbackAttempt(true, "200 OK"));
        var queued = 1 + accepted.Count(a => a.Queued);
        await Poll.UntilAsync(() => dispatcher.Delivered == queued, Bound, $"the {queued} queued callbacks to be delivered");
        Assert.Equal(queued, sender.Invocations.Count);
        Assert.Equal(refused.Count, dispatcher.Dropped);
    }

    [Fact]
    public async Task AFailingEndpoint_IsTriedMaxAttemptsTimes_WithADoublingBackOffOnTheClock_ThenGivenUpAndLogged()
    {
        var logs = new ListLoggerFactory();
        var clock = new ManualTimeProvider();
        var sender = new Mock<ICallbackSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<StatusCallback>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallbackAttempt(false, "500 InternalServerError"));
        var options = new CallbackOptions { MaxAttempts = 3, FirstRetryDelay = TimeSpan.FromSeconds(1) };
        await using var dispatcher = Dispatcher(sender.Object, options, clock, logs);

        Assert.True(dispatcher.Enqueue(Callback("siprec-started")));

        // Each failed try arms exactly one wait on the dispatcher's clock: 1 s, then twice that; nothing retries before it.
        foreach (var (tries, backOff) in new[] { (1, TimeSpan.FromSeconds(1)), (2, TimeSpan.FromSeconds(2)) })
        {
            var now = clock.GetUtcNow();
            await Poll.UntilAsync(() => clock.PendingDueTimes.Count == 1, Bound, $"the back-off after try {tries}");
            Assert.Equal([now + backOff], clock.PendingDueTimes);
            Assert.Equal(tries, sender.Invocations.Count);
            clock.Advance(backOff);
        }

        await Poll.UntilAsync(() => dispatcher.Dropped == 1, Bound, "the callback to be given up");
        Assert.Equal(3, sender.Invocations.Count);
        Assert.Empty(clock.PendingDueTimes);
        Assert.Equal(0, dispatcher.Delivered);
        Assert.Equal([1, 2, 3], logs.Lines.Where(l => l.EventId == 1401).Select(l => int.Parse(l.Message.Split("try ")[1].Split(' ')[0])));
        Assert.All(logs.Lines.Where(l => l.EventId == 1401), l => Assert.EndsWith("of 3: 500 InternalServerError", l.Message));
        var gaveUp = Assert.Single(logs.Lines, l => l.EventId == 1402);
        Assert.Equal("siprec-started callback to callbacks.example.test dropped after 3 tries", gaveUp.Message);
        Assert.Equal(("CA1", "SR1"), (gaveUp.CallSid, gaveUp.SiprecSid));
    }

    [Fact]
    public async Task ASenderThatThrows_DropsThatCallbackAtOnce_LogsTheException_AndTheNextCallbackIsStillDelivered()
    {
        // ICallbackSender never throws for the endpoint's failures (it returns them), so a throw is a fault in the sender:
        // the dispatcher does not retry it, but it must not lose the worker either.
        var logs = new ListLoggerFactory();
        var clock = new ManualTimeProvider();
        var sender = new Mock<ICallbackSender>();
        sender.SetupSequence(s => s.SendAsync(It.IsAny<StatusCallback>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("sender broke"))
            .ReturnsAsync(new CallbackAttempt(true, "204 NoContent"));
        await using var dispatcher = Dispatcher(sender.Object, new CallbackOptions { MaxConcurrentDeliveries = 1 }, clock, logs);

        Assert.True(dispatcher.Enqueue(Callback("siprec-started")));
        await Poll.UntilAsync(() => dispatcher.Dropped == 1, Bound, "the throwing delivery to be dropped");
        Assert.True(dispatcher.Enqueue(Callback("siprec-stopped")));
        await Poll.UntilAsync(() => dispatcher.Delivered == 1, Bound, "the next callback to be delivered");

        Assert.Equal(2, sender.Invocations.Count);
        Assert.Empty(clock.PendingDueTimes);
        var failed = Assert.Single(logs.Lines, l => l.EventId == 1404);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal("siprec-started callback to callbacks.example.test failed unexpectedly", failed.Message);
        Assert.DoesNotContain(logs.Lines, l => l.EventId == 1402);
    }
}
