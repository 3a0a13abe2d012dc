using System.Globalization;
using System.Net;

namespace Siprec.Media.Rtp;

/// <summary>
/// The UDP ports media sockets may bind, <c>LO-HI</c> inclusive (the gateway's <c>media.portRange</c> and both commands'
/// <c>--rtp-ports</c>), so operators can open exactly these ports in a firewall. RTP takes even ports and RTCP the odd
/// port after it (RFC 3550 §11), so a range holds (HI − first even port + 1) / 2 pairs. Thread-safe: a rotating cursor
/// spreads allocations over the range, so a port just released is not reused at once (late packets of the old
/// stream would land in the new one).
/// </summary>
public sealed class RtpPortRange
{
    private int _cursor;

    private RtpPortRange(int low, int high)
    {
        Low = low;
        High = high;
        FirstEven = low % 2 == 0 ? low : low + 1;
        Pairs = (high - FirstEven + 1) / 2;
    }

    /// <summary>The lowest port of the range.</summary>
    public int Low { get; }

    /// <summary>The highest port of the range (inclusive).</summary>
    public int High { get; }

    /// <summary>Even/odd port pairs in the range: how many RTP+RTCP streams it can hold at once.</summary>
    public int Pairs { get; }

    private int FirstEven { get; }

    /// <summary>Reads <c>LO-HI</c> (decimal ports, 1 to 65535, LO &lt; HI, room for at least one even/odd pair).</summary>
    /// <param name="text">The setting's value, e.g. <c>"20000-29999"</c>.</param>
    /// <param name="range">The range when valid.</param>
    /// <param name="error">Why the text is not a range, for a message naming the setting; null when valid.</param>
    /// <returns>True when <paramref name="text"/> is a valid range.</returns>
    public static bool TryParse(string? text, out RtpPortRange? range, out string? error)
    {
        range = null;
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int high))
        {
            error = $"'{text}' is not LO-HI (two port numbers, e.g. 20000-29999)";
            return false;
        }
        if (low < 1 || high > IPEndPoint.MaxPort || low >= high)
        {
            error = $"'{text}': ports must be 1 to 65535 with LO below HI";
            return false;
        }
        var parsed = new RtpPortRange(low, high);
        if (parsed.Pairs < 1)
        {
            error = $"'{text}' holds no even RTP port with its odd RTCP port after it (RFC 3550 §11)";
            return false;
        }
        range = parsed;
        error = null;
        return true;
    }

    /// <summary>Reads <c>LO-HI</c> as <see cref="TryParse"/> does.</summary>
    /// <exception cref="FormatException">The text is not a valid range; the message says why.</exception>
    public static RtpPortRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range! : throw new FormatException(error);

    /// <summary>True when <paramref name="port"/> lies in the range.</summary>
    public bool Contains(int port) => port >= Low && port <= High;

    /// <summary>The range as it is written: <c>LO-HI</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Low}-{High}");

    /// <summary>
    /// The even ports of every pair, starting after the last one handed out, each once: callers try to bind them in this
    /// order and stop at the first that binds.
    /// </summary>
    internal IEnumerable<int> Candidates()
    {
        int start = (int)((uint)Interlocked.Increment(ref _cursor) % (uint)Pairs);
        for (int i = 0; i < Pairs; i++)
        {
            int pair = (start + i) % Pairs;
            yield return FirstEven + (2 * pair);
        }
    }
}
