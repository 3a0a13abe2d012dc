using Siprec.Control;
using Siprec.Gateway.Calls;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;
using Siprec.Recording.Connectors;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>The store behind the REST API's view of ended calls (DESIGN §4.4): its time and count bounds, and its settings.</summary>
public sealed class EndedCallRetentionTests
{
    private const string Account = "AC1";
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void ACallIsKept_UntilItsRetentionTimeHasPassed()
    {
        var store = new EndedCallRetention(new EndedCallRetentionOptions { Time = TimeSpan.FromMinutes(5) }, _clock);
        store.Retain("CA1", Account, [Session("CA1", RestRecordingStatus.Stopped)]);

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var justBefore = store.Find("CA1");
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.NotNull(justBefore);
        Assert.Null(store.Find("CA1"));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void BeyondTheCountBound_TheOldestCallsAreDroppedFirst()
    {
        var store = new EndedCallRetention(new EndedCallRetentionOptions { MaxCalls = 2 }, _clock);

        foreach (var sid in new[] { "CA1", "CA2", "CA3", "CA4" })
        {
            store.Retain(sid, Account, []);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(2, store.Count);
        Assert.Null(store.Find("CA1"));
        Assert.Null(store.Find("CA2"));
        Assert.NotNull(store.Find("CA3"));
        Assert.NotNull(store.Find("CA4"));
    }

    [Fact]
    public void TheTimeBound_DropsOnlyTheCallsThatEndedLongEnoughAgo()
    {
        var store = new EndedCallRetention(new EndedCallRetentionOptions { Time = TimeSpan.FromMinutes(10) }, _clock);
        store.Retain("CA1", Account, []);
        _clock.Advance(TimeSpan.FromMinutes(6));
        store.Retain("CA2", Account, []);

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(store.Find("CA1"));
        Assert.NotNull(store.Find("CA2"));
    }

    [Fact]
    public void ASessionStillCurrent_IsKeptStoppedAsOfTheEnd_WithoutItsStartSettings()
    {
        var store = new EndedCallRetention(new EndedCallRetentionOptions(), _clock);
        var connector = new SrsConnector { Uris = ["sip:srs@127.0.0.1"], UserName = "src", Password = "pw-0123" };
        var live = Session("CA1", RestRecordingStatus.Paused) with
        {
            Options = new RecordingRequestOptions("rec", new Uri("http://127.0.0.1/cb"), "POST", connector),
        };
        _clock.Advance(TimeSpan.FromSeconds(30));

        store.Retain("CA1", Account, [live]);
        var kept = Assert.Single(store.Find("CA1")!.Sessions);

        Assert.Equal(RestRecordingStatus.Stopped, kept.Status);
        Assert.Equal(_clock.GetUtcNow(), kept.DateUpdated);
        Assert.Equal(live.DateCreated, kept.DateCreated);
        Assert.Same(RecordingRequestOptions.None, kept.Options);
        Assert.Equal(live.Sid, store.Find("CA1")!.Find("rec")?.Sid);
    }

    [Fact]
    public void CallsWithoutAnAccount_OrZeroBounds_AreNotKept()
    {
        var store = new EndedCallRetention(new EndedCallRetentionOptions(), _clock);
        var noTime = new EndedCallRetention(new EndedCallRetentionOptions { Time = TimeSpan.Zero }, _clock);
        var noCount = new EndedCallRetention(new EndedCallRetentionOptions { MaxCalls = 0 }, _clock);

        store.Retain("CA1", null, []);
        noTime.Retain("CA2", Account, []);
        noCount.Retain("CA3", Account, []);

        Assert.Null(store.Find("CA1"));
        Assert.Null(noTime.Find("CA2"));
        Assert.Null(noCount.Find("CA3"));
    }

    [Fact]
    public void TheConfigurationFile_ReadsTheRetentionSection_AndDefaultsToOneHourAndAThousandCalls()
    {
        var set = GatewayConfigurationFile.Parse("""{"retention":{"endedCallSecs":120,"maxEndedCalls":50}}""", ".");
        var defaults = GatewayConfigurationFile.Parse("{}", ".");

        Assert.Equal(TimeSpan.FromMinutes(2), set.EndedCallRetention.Time);
        Assert.Equal(50, set.EndedCallRetention.MaxCalls);
        Assert.Equal(TimeSpan.FromHours(1), defaults.EndedCallRetention.Time);
        Assert.Equal(1000, defaults.EndedCallRetention.MaxCalls);
    }

    [Theory]
    [InlineData("""{"retention":{"endedCallSecs":-1}}""", "retention.endedCallSecs: must be 0..604800, was -1")]
    [InlineData("""{"retention":{"maxEndedCalls":1000001}}""", "retention.maxEndedCalls: must be 0..1000000, was 1000001")]
    [InlineData("""{"retention":{"maxCalls":5}}""", "retention.maxCalls: unknown key")]
    [InlineData("""{"retention":60}""", "retention: must be an object")]
    public void TheConfigurationFile_NamesABadRetentionKey(string json, string named)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, "."));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 10, "EndedCallRetention.Time")]
    [InlineData(60, -1, "EndedCallRetention.MaxCalls")]
    [InlineData(60, EndedCallRetentionOptions.MaxCallsLimit + 1, "EndedCallRetention.MaxCalls")]
    public void OutOfRangeOptions_AreRefused_NamingTheSetting(int seconds, int maxCalls, string named)
    {
        var options = new EndedCallRetentionOptions { Time = TimeSpan.FromSeconds(seconds), MaxCalls = maxCalls };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(named, ex.Message, StringComparison.Ordinal);
    }

    private RecordingResource Session(string callSid, string status)
    {
        var now = _clock.GetUtcNow();
        return new RecordingResource("SR" + Guid.NewGuid().ToString("N"), Account, callSid, "rec", status, RecordingTrack.BothTracks,
            now, now, now, null, null, RecordingRequestOptions.None);
    }
}
