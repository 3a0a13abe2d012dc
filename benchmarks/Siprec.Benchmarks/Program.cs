using BenchmarkDotNet.Running;
using Siprec.Benchmarks;

if (args.Length >= 2 && args[0] == "--loop")
{
    ParseLoop.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : "both");
    return;
}
if (args.Length >= 2 && args[0] == "--session-memory")
{
    SessionMemory.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args.Length >= 2 && args[0] == "--udp-floor")
{
    UdpFloor.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SipMessageBenchmarks).Assembly).Run(args);
