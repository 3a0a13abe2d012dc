using System.Collections;

namespace Siprec.Sip.Messages;

/// <summary>
/// The headers of a parsed message (RFC 3261 §7.3): names interned at parse time, values left as byte ranges of the
/// message buffer and decoded on first access, then cached. Most received messages are read for a few headers only
/// (Via, CSeq, Call-ID, tags), so the others never become strings. Safe for concurrent readers: two threads decoding
/// the same value both store an equal string.
/// </summary>
internal sealed class ParsedHeaderList : IReadOnlyList<SipHeader>
{
    private readonly ReadOnlyMemory<byte> _message;
    private readonly Entry[] _entries;

    /// <param name="message">The buffer the ranges point into; the list keeps it alive.</param>
    /// <param name="entries">One per header line, in wire order; owned by the list from now on.</param>
    public ParsedHeaderList(ReadOnlyMemory<byte> message, Entry[] entries)
    {
        _message = message;
        _entries = entries;
    }

    /// <summary>The number of header lines.</summary>
    public int Count => _entries.Length;

    /// <summary>Header <paramref name="index"/>, its value decoded now if no one has asked before.</summary>
    public SipHeader this[int index] => new(_entries[index].Name, ValueAt(index));

    /// <summary>The name of header <paramref name="index"/> as received; never decodes the value.</summary>
    public string NameAt(int index) => _entries[index].Name;

    /// <summary>The value of header <paramref name="index"/>: folding joined by single spaces, outer LWS trimmed.</summary>
    public string ValueAt(int index)
    {
        ref var entry = ref _entries[index];
        return entry.Value ??= SipParser.DecodeValue(_message.Span.Slice(entry.Start, entry.Length));
    }

    /// <summary>The raw value bytes of header <paramref name="index"/>, or empty with <paramref name="folded"/> set for a folded header.</summary>
    public ReadOnlySpan<byte> RawValueAt(int index, out string? folded)
    {
        ref readonly var entry = ref _entries[index];
        folded = entry.Length < 0 ? entry.Value : null;
        return entry.Length < 0 ? default : _message.Span.Slice(entry.Start, entry.Length);
    }

    /// <summary>Where header <paramref name="index"/>'s line starts in the message, for error reports (the first line of a folded header).</summary>
    public int LineOffsetAt(int index) => _message.Span[.._entries[index].Start].LastIndexOf((byte)'\n') + 1;

    /// <inheritdoc/>
    public IEnumerator<SipHeader> GetEnumerator()
    {
        for (var i = 0; i < _entries.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// One header line: <see cref="Name"/>, the value range (<see cref="Start"/>, <see cref="Length"/>) and, once read,
    /// its <see cref="Value"/>; a folded header has <see cref="Length"/> -1, the joined value, and the first line's start.
    /// </summary>
    internal struct Entry
    {
        public string Name;
        public string? Value;
        public int Start;
        public int Length;
    }
}
