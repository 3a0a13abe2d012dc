using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Siprec.Benchmarks.SipMessageBenchmarks).Assembly).Run(args);
