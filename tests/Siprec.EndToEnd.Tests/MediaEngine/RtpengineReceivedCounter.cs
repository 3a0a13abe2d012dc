using System.Diagnostics.Metrics;
using Siprec.Media.Forwarding;

namespace Siprec.EndToEnd.Tests.MediaEngine;

/// <summary>
/// Sums the in-process <c>siprec.media.rtpengine.received</c> measurements per <c>leg</c>, and
/// <c>siprec.media.rtpengine.query.failed</c>, from its creation on (a
/// <see cref="MeterListener"/> on meter <see cref="ForwarderMetrics.MeterName"/>). The rtpengine tests share one xunit
/// collection (<see cref="RtpengineCollection"/>), so no other test's recording adds to these sums meanwhile.
/// </summary>
internal sealed class RtpengineReceivedCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _caller;
    private long _bot;
    private long _queryFailures;

    public RtpengineReceivedCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ForwarderMetrics.MeterName && instrument.Name is "siprec.media.rtpengine.received" or "siprec.media.rtpengine.query.failed")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "siprec.media.rtpengine.query.failed")
            {
                Interlocked.Add(ref _queryFailures, value);
                return;
            }

            string? leg = null;
            var engine = false;
            foreach (var tag in tags)
            {
                if (tag.Key == "leg")
                    leg = tag.Value as string;
                engine |= tag.Key == "engine" && (tag.Value as string) == "rtpengine";
            }
            if (!engine)
                return;
            if (leg == "caller")
                Interlocked.Add(ref _caller, value);
            else if (leg == "bot")
                Interlocked.Add(ref _bot, value);
        });
        _listener.Start();
    }

    /// <summary>Packets counted on the caller leg so far.</summary>
    public long Caller => Interlocked.Read(ref _caller);

    /// <summary>Packets counted on the bot leg so far.</summary>
    public long Bot => Interlocked.Read(ref _bot);

    /// <summary>Failed ng queries counted so far.</summary>
    public long QueryFailures => Interlocked.Read(ref _queryFailures);

    public void Dispose() => _listener.Dispose();
}
