using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Siprec.Recorder.Tests.Support;

/// <summary>
/// Listens to one <see cref="RecordingServer"/>'s meter instance (other servers in parallel tests share its name, not its
/// instance) and keeps every counter measurement with its tags. Measurements arrive synchronously with the Add.
/// </summary>
internal sealed class RecorderMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public RecorderMeter(RecordingServer server)
    {
        var meter = server.Metrics.Meter;
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var t = new Dictionary<string, object?>();
            foreach (var tag in tags) t[tag.Key] = tag.Value;
            _measurements.Enqueue((instrument.Name, value, t));
        });
        _listener.Start();
    }

    /// <summary>The <c>reason</c> tag of each <c>siprec.srs.sessions.refused</c> measurement, in order.</summary>
    public IReadOnlyList<string?> RefusedReasons =>
        _measurements.Where(m => m.Instrument == "siprec.srs.sessions.refused").Select(m => (string?)m.Tags["reason"]).ToList();

    /// <summary>The sum of <c>siprec.srs.sessions.started</c>.</summary>
    public long Started => _measurements.Where(m => m.Instrument == "siprec.srs.sessions.started").Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
