using System.Text;

namespace Siprec.Testing;

/// <summary>
/// Seeded, reproducible mutations of a corpus of wire messages for robustness tests: bit flips, byte insertion
/// and deletion, truncation, line (header) duplication, splicing of two inputs and number inflation. The same
/// seed yields the same sequence of cases.
/// </summary>
public sealed class CorpusMutator
{
    private static readonly byte[] Interesting = [.. "\r\n:;,<>\"\\ %=@/?&\t-"u8, 0x00, 0x7F, 0xFF, 0x80];
    private readonly IReadOnlyList<byte[]> _corpus;
    private readonly Random _random;

    /// <summary>Creates a mutator over <paramref name="corpus"/> (at least one input) with <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The corpus is empty.</exception>
    public CorpusMutator(IReadOnlyList<byte[]> corpus, int seed)
    {
        if (corpus.Count == 0) throw new ArgumentException("the corpus is empty", nameof(corpus));
        _corpus = corpus;
        _random = new Random(seed);
    }

    /// <summary>The next case: one corpus input with one to three mutations applied; <c>Kinds</c> names them.</summary>
    public (byte[] Data, string Kinds) Next()
    {
        var data = new List<byte>(_corpus[_random.Next(_corpus.Count)]);
        var count = 1 + _random.Next(3);
        var kinds = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (kinds.Length > 0) kinds.Append('+');
            kinds.Append(Mutate(data));
        }
        return (data.ToArray(), kinds.ToString());
    }

    private string Mutate(List<byte> data)
    {
        switch (_random.Next(8))
        {
            case 0 when data.Count > 0:
                for (var i = 1 + _random.Next(8); i > 0; i--) data[_random.Next(data.Count)] ^= (byte)(1 << _random.Next(8));
                return "bitflip";
            case 1:
                var b = _random.Next(2) == 0 ? Interesting[_random.Next(Interesting.Length)] : (byte)_random.Next(256);
                data.Insert(_random.Next(data.Count + 1), b);
                return "insert";
            case 2 when data.Count > 0:
                var at = _random.Next(data.Count);
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
                return "delete";
            case 3 when data.Count > 0:
                var cut = _random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
                return "truncate";
            case 4:
                DuplicateLine(data);
                return "duplicate-line";
            case 5:
                var other = _corpus[_random.Next(_corpus.Count)];
                var keepHead = _random.Next(data.Count + 1);
                var from = _random.Next(other.Length + 1);
                data.RemoveRange(keepHead, data.Count - keepHead);
                data.AddRange(other.AsSpan(from).ToArray());
                return "splice";
            case 6:
                InflateNumber(data);
                return "inflate-number";
            default:
                data.Insert(_random.Next(data.Count + 1), Interesting[_random.Next(Interesting.Length)]);
                return "insert-special";
        }
    }

    private void DuplicateLine(List<byte> data)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < data.Count; i++) if (data[i] == (byte)'\n') starts.Add(i + 1);
        var index = _random.Next(starts.Count);
        var start = starts[index];
        var end = index + 1 < starts.Count ? starts[index + 1] : data.Count;
        var line = data.GetRange(start, end - start);
        data.InsertRange(starts[_random.Next(starts.Count)], line);
    }

    private void InflateNumber(List<byte> data)
    {
        var digits = new List<int>();
        for (var i = 0; i < data.Count; i++) if (data[i] is >= (byte)'0' and <= (byte)'9') digits.Add(i);
        if (digits.Count == 0) return;
        var replacement = _random.Next(4) switch
        {
            0 => "0",
            1 => "-1",
            2 => "4294967296",
            _ => "99999999999999999999",
        };
        data.InsertRange(digits[_random.Next(digits.Count)], Encoding.ASCII.GetBytes(replacement));
    }
}
