using BenchmarkDotNet.Running;
using Siprec.Benchmarks;

if (args.Length >= 2 && args[0] == "--loop")
{
    ParseLoop.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : "both");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SipMessageBenchmarks).Assembly).Run(args);
