using System.Net;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Callbacks;

/// <summary>Status callbacks (DESIGN §4.4) delivered to a loopback HTTP listener, off the call's path.</summary>
public sealed class StatusCallbackTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PostCallbacks_CarryTheExactFields_ForStartedAndStopped()
    {
        using var listener = new CallbackListener();
        await using var h = await RestHarness.StartAsync();

        var (_, created) = await h.CreateAsync(("Name", "cb"), ("StatusCallback", listener.Url));
        await h.SendAsync(h.Path(sidOrName: "cb"), [("Status", "stopped")]);
        await listener.WaitForAsync(2, Bound);

        var callbacks = listener.Received.ToArray();
        Assert.All(callbacks, c => Assert.Equal("POST", c.Method));
        var started = Assert.Single(callbacks, c => c.Fields["SiprecEvent"] == "siprec-started");
        Assert.Equal(["AccountSid", "CallSid", "SiprecSid", "SiprecName", "SiprecEvent", "Timestamp"], started.Fields.Keys);
        Assert.Equal(RestHarness.AccountA, started.Fields["AccountSid"]);
        Assert.Equal(h.CallSid, started.Fields["CallSid"]);
        Assert.Equal((string)created["sid"]!, started.Fields["SiprecSid"]);
        Assert.Equal("cb", started.Fields["SiprecName"]);
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", started.Fields["Timestamp"]);
        Assert.Single(callbacks, c => c.Fields["SiprecEvent"] == "siprec-stopped" && c.Fields["SiprecSid"] == (string)created["sid"]!);
    }

    [Fact]
    public async Task GetCallbacks_PutTheFieldsInTheQueryString_AndAnErrorCarriesItsTextAndCode()
    {
        using var listener = new CallbackListener();
        await using var h = await RestHarness.StartAsync();

        await h.SendAsync(h.Path(), [("ConnectorName", "busy"), ("StatusCallback", listener.Url), ("StatusCallbackMethod", "GET")]);
        await listener.WaitForAsync(1, Bound);

        var error = Assert.Single(listener.Received);
        Assert.Equal("GET", error.Method);
        Assert.Equal("siprec-error", error.Fields["SiprecEvent"]);
        Assert.Equal("99110", error.Fields["SiprecErrorCode"]);
        Assert.StartsWith("Error starting SipRec call recording: ", error.Fields["SiprecError"]);
        Assert.EndsWith("(SIP 503)", error.Fields["SiprecError"], StringComparison.Ordinal);
        Assert.Equal(h.CallSid, error.Fields["CallSid"]);
    }

    [Fact]
    public async Task AFailingEndpoint_IsTriedThreeTimes_ThenDropped_WhileTheRecordingGoesOn()
    {
        using var listener = new CallbackListener(status: 500);
        await using var h = await RestHarness.StartAsync(new CallbackOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(50) });

        var (status, created) = await h.CreateAsync(("StatusCallback", listener.Url));
        await listener.WaitForAsync(3, Bound);
        using (var cts = new CancellationTokenSource(Bound))
        {
            while (h.Gateway.Callbacks!.Dropped == 0)
            {
                await Task.Delay(20, cts.Token);
            }
        }
        var (_, fetched) = await h.SendAsync(h.Path(sidOrName: (string)created["sid"]!), null);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(3, listener.Received.Count);
        Assert.All(listener.Received, c => Assert.Equal("siprec-started", c.Fields["SiprecEvent"]));
        Assert.Equal(1, h.Gateway.Callbacks.Dropped);
        Assert.Equal("in-progress", (string?)fetched["status"]);
        Assert.False(h.Srs.ByeSeen.Task.IsCompleted, "the recorder was sent BYE although only the callback failed");
    }
}
