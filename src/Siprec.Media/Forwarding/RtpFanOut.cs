namespace Siprec.Media.Forwarding;

/// <summary>
/// The forwarders of one source call leg: every packet goes to each of them (one per recorder,
/// RFC 7866 §8.1). Thread-safe; <see cref="Forward"/> reads a copy-on-write array without locking, so
/// adding or removing a recorder never stalls the media path.
/// </summary>
public sealed class RtpFanOut
{
    private readonly object _writeGate = new();
    private RtpForwarder[] _forwarders = [];

    /// <summary>Number of forwarders.</summary>
    public int Count => Volatile.Read(ref _forwarders).Length;

    /// <summary>Adds a forwarder; adding one already present does nothing.</summary>
    public void Add(RtpForwarder f)
    {
        ArgumentNullException.ThrowIfNull(f);
        lock (_writeGate)
        {
            var current = _forwarders;
            if (Array.IndexOf(current, f) >= 0) return;
            var next = new RtpForwarder[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = f;
            Volatile.Write(ref _forwarders, next);
        }
    }

    /// <summary>Removes a forwarder (not disposing it); false when it was not present.</summary>
    public bool Remove(RtpForwarder f)
    {
        ArgumentNullException.ThrowIfNull(f);
        lock (_writeGate)
        {
            var current = _forwarders;
            int index = Array.IndexOf(current, f);
            if (index < 0) return false;
            var next = new RtpForwarder[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _forwarders, next);
            return true;
        }
    }

    /// <summary>Forwards one source packet through every forwarder. Never throws on wire input.</summary>
    public void Forward(ReadOnlySpan<byte> packet)
    {
        foreach (var forwarder in Volatile.Read(ref _forwarders)) forwarder.Forward(packet);
    }
}
