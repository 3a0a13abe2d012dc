using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Observability;

public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task AStartAndAStop_AreMeasured_ActiveUpAndDown_OutcomeByCode_AndStartDuration()
    {
        await using var h = await RestHarness.StartAsync();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, h.Gateway.Metrics.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        listener.Start();

        var (_, created) = await h.CreateAsync();
        await h.SendAsync(h.Path(sidOrName: (string)created["sid"]!), [("Status", "stopped")]);

        Assert.Equal([1.0, -1.0], measurements.Where(m => m.Instrument == "siprec.gateway.recordings.active").Select(m => m.Value));
        var outcome = Assert.Single(measurements, m => m.Instrument == "siprec.gateway.recorder.outcomes");
        Assert.Equal(("Accepted", (object?)200), ((string?)outcome.Tags["outcome"], outcome.Tags["code"]));
        var duration = Assert.Single(measurements, m => m.Instrument == "siprec.gateway.recording.start.duration");
        Assert.Equal(200, duration.Tags["code"]);
        Assert.True(duration.Value >= 0);
    }

    [Fact]
    public void AFailover_IsCounted_AndItsGapRecordedInSeconds()
    {
        using var metrics = new Siprec.Gateway.Observability.GatewayMetrics();
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measurements.Enqueue((i.Name, v)));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => measurements.Enqueue((i.Name, v)));
        listener.Start();
        var start = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

        metrics.FailedOver(new Siprec.Recording.FailoverGap(start, start.AddSeconds(4.2), TimeSpan.FromMilliseconds(4207)));

        Assert.Equal([1.0], measurements.Where(m => m.Instrument == "siprec.gateway.recorder.failovers").Select(m => m.Value));
        Assert.Equal([4.207], measurements.Where(m => m.Instrument == "siprec.gateway.recorder.failover.gap").Select(m => m.Value));
    }

    [Theory]
    [InlineData(Siprec.Recording.RecorderFailureCause.MediaEngineFailed, "media-engine-failed")]
    [InlineData(Siprec.Recording.RecorderFailureCause.MediaUnreachable, "media-unreachable")]
    public void ReasonTag_NamesEveryCause_IncludingAGoneMediaEngine(Siprec.Recording.RecorderFailureCause cause, string tag)
    {
        Assert.Equal(tag, Siprec.Gateway.Observability.GatewayMetrics.ReasonTag(cause));
    }

    [Fact]
    public void ReasonTag_HasATagOfItsOwnForEveryCause()
    {
        var tags = Enum.GetValues<Siprec.Recording.RecorderFailureCause>().Select(Siprec.Gateway.Observability.GatewayMetrics.ReasonTag).ToList();

        Assert.DoesNotContain("other", tags);
        Assert.Equal(tags.Count, tags.Distinct().Count());
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags) result[tag.Key] = tag.Value;
        return result;
    }
}
