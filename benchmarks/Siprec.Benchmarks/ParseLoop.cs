using System.Diagnostics;
using Siprec.Sip.Messages;

namespace Siprec.Benchmarks;

/// <summary>
/// A plain loop over the zero-copy INVITE and 200 OK parses, for profilers (<c>perf stat</c>, <c>perf record</c>)
/// that would drown in BenchmarkDotNet's machinery: <c>dotnet run -c Release -- --loop 100000 [invite|ok]</c>.
/// Prints the best, median and worst of forty rounds in ns per parse; the instruction count of two runs with different counts
/// gives instructions per parse, which the load of a shared machine does not change.
/// </summary>
internal static class ParseLoop
{
    public static void Run(int count, string which)
    {
        var invite = SiprecMessages.Invite();
        ReadOnlyMemory<byte> inviteBytes = SipSerializer.Serialize(invite);
        ReadOnlyMemory<byte> okBytes = SipSerializer.Serialize(SiprecMessages.Ok(invite));
        if (which != "ok") Print("INVITE", Rounds(inviteBytes, count));
        if (which != "invite") Print("200 OK", Rounds(okBytes, count));
    }

    private static void Print(string name, List<double> rounds)
    {
        rounds.Sort();
        Console.WriteLine($"{name} {rounds[0]:F0} ns/parse best, {rounds[rounds.Count / 2]:F0} median, {rounds[^1]:F0} worst of {rounds.Count} rounds");
    }

    private static List<double> Rounds(ReadOnlyMemory<byte> data, int count)
    {
        var rounds = new List<double>();
        for (var round = 0; round < 40; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                if (!SipParser.TryParse(data, out _, out _)) throw new InvalidOperationException("benchmark message does not parse");
            }
            rounds.Add(watch.Elapsed.TotalNanoseconds / count);
        }
        return rounds;
    }
}
