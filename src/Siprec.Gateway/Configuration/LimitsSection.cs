using Newtonsoft.Json.Linq;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The bounds on the gateway's work: the <c>limits</c> section (recorders and streams per call, timeouts), <c>callbacks</c>
/// (attempts, retry delay, timeout, queue) and <c>retention</c> (how long and how many ended calls stay readable).
/// </summary>
internal sealed class LimitsSection
{
    private readonly ConfigurationFileReader _reader;

    public LimitsSection(ConfigurationFileReader reader) => _reader = reader;

    public GatewayOptions ReadLimits(JToken limits, GatewayOptions options)
    {
        _reader.NoUnknownKeys(_reader.Object(limits), ["maxRecorders", "noAnswerTimeoutMs", "operationTimeoutMs", "streamsPerCall"]);
        if (limits["operationTimeoutMs"] is { } operation) options = options with { OperationTimeout = TimeSpan.FromMilliseconds(_reader.Int(operation, 500, 60_000)) };
        if (limits["maxRecorders"] is { } max) options = options with { MaxRecorders = _reader.Int(max, 1, 16) };
        if (limits["streamsPerCall"] is { } streams) options = options with { StreamBudget = _reader.Int(streams, 1, 16) };
        if (limits["noAnswerTimeoutMs"] is { } noAnswer) options = options with { NoAnswerTimeout = TimeSpan.FromMilliseconds(_reader.Int(noAnswer, 100, 60_000)) };
        return options;
    }

    public CallbackOptions ReadCallbacks(JToken callbacks, CallbackOptions c)
    {
        _reader.NoUnknownKeys(_reader.Object(callbacks), ["maxAttempts", "firstRetryDelayMs", "timeoutMs", "queueCapacity"]);
        if (callbacks["maxAttempts"] is { } attempts) c = c with { MaxAttempts = _reader.Int(attempts, 1, 10) };
        if (callbacks["firstRetryDelayMs"] is { } delay) c = c with { FirstRetryDelay = TimeSpan.FromMilliseconds(_reader.Int(delay, 0, 600_000)) };
        if (callbacks["timeoutMs"] is { } timeout) c = c with { RequestTimeout = TimeSpan.FromMilliseconds(_reader.Int(timeout, 100, 120_000)) };
        if (callbacks["queueCapacity"] is { } capacity) c = c with { QueueCapacity = _reader.Int(capacity, 1, 1_000_000) };
        return c;
    }

    public EndedCallRetentionOptions ReadRetention(JToken retention, EndedCallRetentionOptions r)
    {
        _reader.NoUnknownKeys(_reader.Object(retention), ["endedCallSecs", "maxEndedCalls"]);
        if (retention["endedCallSecs"] is { } secs) r = r with { Time = TimeSpan.FromSeconds(_reader.Int(secs, 0, 7 * 86_400)) };
        if (retention["maxEndedCalls"] is { } max) r = r with { MaxCalls = _reader.Int(max, 0, EndedCallRetentionOptions.MaxCallsLimit) };
        return r;
    }
}
