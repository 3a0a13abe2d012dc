using System.Diagnostics;
using Siprec.Sip.Messages;

namespace Siprec.Benchmarks;

/// <summary>
/// A plain loop over the zero-copy INVITE and 200 OK parses, for profilers (<c>perf stat</c>, <c>perf record</c>)
/// that would drown in BenchmarkDotNet's machinery: <c>dotnet run -c Release -- --loop 100000 [invite|ok]</c>.
/// Prints the best of forty rounds in ns per parse; the instruction count of two runs with different counts
/// gives instructions per parse, which the load of a shared machine does not change.
/// </summary>
internal static class ParseLoop
{
    public static void Run(int count, string which)
    {
        var invite = SiprecMessages.Invite();
        ReadOnlyMemory<byte> inviteBytes = SipSerializer.Serialize(invite);
        ReadOnlyMemory<byte> okBytes = SipSerializer.Serialize(SiprecMessages.Ok(invite));
        if (which != "ok") Console.WriteLine($"INVITE {Best(inviteBytes, count):F0} ns/parse");
        if (which != "invite") Console.WriteLine($"200 OK {Best(okBytes, count):F0} ns/parse");
    }

    private static double Best(ReadOnlyMemory<byte> data, int count)
    {
        var best = double.MaxValue;
        for (var round = 0; round < 40; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                if (!SipParser.TryParse(data, out _, out _)) throw new InvalidOperationException("benchmark message does not parse");
            }
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / count);
        }
        return best;
    }
}
