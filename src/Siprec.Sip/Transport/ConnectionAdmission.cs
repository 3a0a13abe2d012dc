using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Transport;

/// <summary>
/// Counts a listener's accepted connections, in total and per source address, against
/// <see cref="StreamTransportOptions.MaxInboundConnections"/> and <see cref="StreamTransportOptions.MaxInboundConnectionsPerAddress"/>.
/// A refusal is a Warning, but at most one line per <see cref="RefusalLogInterval"/> carrying how many were refused since
/// the last one, so a flood of connections is not also a flood of log lines.
/// </summary>
internal sealed class ConnectionAdmission
{
    /// <summary>The least time between two refusal Warning lines: 10 s.</summary>
    public static readonly TimeSpan RefusalLogInterval = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly StreamTransportOptions _options;
    private readonly TimeProvider _time;
    private int _total;
    private long _refused;
    private long _refusedSinceLog;
    private long? _lastLogAt;

    public ConnectionAdmission(StreamTransportOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Connections refused since the transport started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Admits one more connection from <paramref name="address"/>, or says which cap it would exceed.</summary>
    /// <returns>Null when admitted (call <see cref="Release"/> when it closes); otherwise the refusal reason.</returns>
    public string? TryAdmit(IPAddress address)
    {
        lock (_gate)
        {
            _perAddress.TryGetValue(address, out var fromAddress);
            string? refusal = null;
            if (_total >= _options.MaxInboundConnections)
                refusal = $"{_total} inbound connections open (MaxInboundConnections {_options.MaxInboundConnections})";
            else if (fromAddress >= _options.MaxInboundConnectionsPerAddress)
                refusal = $"{fromAddress} inbound connections open from {address} (MaxInboundConnectionsPerAddress {_options.MaxInboundConnectionsPerAddress})";
            if (refusal is not null)
            {
                _refused++;
                return refusal;
            }
            _perAddress[address] = fromAddress + 1;
            _total++;
            return null;
        }
    }

    /// <summary>Gives back the place of an admitted connection from <paramref name="address"/>.</summary>
    public void Release(IPAddress address)
    {
        lock (_gate)
        {
            if (!_perAddress.TryGetValue(address, out var count)) return;
            if (count <= 1) _perAddress.Remove(address);
            else _perAddress[address] = count - 1;
            _total--;
        }
    }

    /// <summary>Logs <paramref name="refusal"/> as a Warning unless one was logged within <see cref="RefusalLogInterval"/>.</summary>
    /// <remarks>
    /// Counted here rather than in <see cref="TryAdmit"/>: refusals are handled on concurrent accept tasks, and a count taken
    /// at admission let a line include refusals that reached this method after it, so the same flood logged "1" or "2"
    /// depending on thread timing. Counting here, a line covers exactly the refusals up to its own.
    /// </remarks>
    public void LogRefusal(ILogger logger, string protocol, IPEndPoint remote, string refusal)
    {
        long count;
        lock (_gate)
        {
            _refusedSinceLog++;
            var now = _time.GetTimestamp();
            if (_lastLogAt is { } last && _time.GetElapsedTime(last, now) < RefusalLogInterval) return;
            _lastLogAt = now;
            count = _refusedSinceLog;
            _refusedSinceLog = 0;
        }
        Log.InboundOverCap(logger, protocol, remote, refusal, count, RefusalLogInterval.TotalSeconds);
    }
}
