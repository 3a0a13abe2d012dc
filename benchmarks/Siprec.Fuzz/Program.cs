using System.Diagnostics;
using System.Globalization;
using Siprec.Fuzz;
using Siprec.Testing;

// Seeded mutation fuzzing of SipParser / MultipartBody / SdpSession over the RFC 4475 corpus and vendor
// SIPREC bodies. Usage: --cases N (default 100000) --seed S (default 1). Exit 1 on any escaping exception.
var cases = 100_000;
var seed = 1;
for (var i = 0; i < args.Length; i++)
{
    var valueOk = i + 1 < args.Length;
    switch (args[i])
    {
        case "--cases" when valueOk && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0:
            cases = c;
            i++;
            break;
        case "--seed" when valueOk && int.TryParse(args[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
            seed = s;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or invalid argument '{args[i]}'; usage: --cases N --seed S");
            return 2;
    }
}

var corpus = SipCorpus.Load();
var mutator = new CorpusMutator(corpus, seed);
long accepted = 0, rejected = 0, exceptions = 0;
var stopwatch = Stopwatch.StartNew();
for (var n = 0; n < cases; n++)
{
    var (data, kinds) = mutator.Next();
    try
    {
        if (FuzzTarget.Run(data)) accepted++;
        else rejected++;
    }
    catch (Exception ex)
    {
        exceptions++;
        if (exceptions <= 5)
        {
            Console.Error.WriteLine($"case {n} (seed {seed}, {kinds}): {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine(ex.StackTrace);
            Console.Error.WriteLine("input (base64): " + Convert.ToBase64String(data));
        }
    }
}
Console.WriteLine($"corpus={corpus.Count} seed={seed} cases={cases} accepted={accepted} rejected={rejected} exceptions={exceptions} elapsed={stopwatch.Elapsed.TotalSeconds:F1}s");
return exceptions == 0 ? 0 : 1;
