using System.Globalization;
using System.Text.RegularExpressions;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>One sipp process running a scenario from <c>samples/sipp/</c>, with its message trace kept for assertions.</summary>
internal sealed partial class SippRun : IDisposable
{
    private readonly PeerProcess _process;

    private SippRun(PeerProcess process, string messageLog)
    {
        _process = process;
        MessageLog = messageLog;
    }

    /// <summary>The file sipp writes every sent and received SIP message to.</summary>
    public string MessageLog { get; }

    /// <summary>Starts sipp with <c>samples/sipp/&lt;scenario&gt;</c>, <c>-m 1</c>, a 60 s global timeout and a message trace.</summary>
    public static SippRun Start(string scenario, int sipPort, string workingDirectory, IEnumerable<string> extraArguments)
    {
        var sipp = Siprec.Testing.Peers.Require("sipp");
        var name = Path.GetFileNameWithoutExtension(scenario);
        var log = Path.Combine(workingDirectory, $"{name}-messages.log");
        var args = new List<string>
        {
            "-sf", Path.Combine(RepoPaths.Samples, "sipp", scenario),
            "-i", "127.0.0.1", "-p", sipPort.ToString(CultureInfo.InvariantCulture),
            "-m", "1", "-nostdin", "-timeout", "60s", "-timeout_error",
            "-trace_msg", "-message_file", log, "-trace_err", "-error_file", Path.Combine(workingDirectory, $"{name}-errors.log"),
        };
        args.AddRange(extraArguments);
        return new SippRun(PeerProcess.Start(sipp, args, workingDirectory), log);
    }

    /// <summary>Waits (bounded) for sipp to finish its one call; returns its exit code, or null if it is still running.</summary>
    public async Task<int?> WaitAsync(TimeSpan timeout) => await _process.WaitForExitAsync(timeout) ? _process.ExitCode : null;

    /// <summary>What sipp printed and logged, for failure messages.</summary>
    public string Diagnostics(string directory)
    {
        var errors = Directory.GetFiles(directory, "*-errors.log").Select(File.ReadAllText);
        return $"stdout:\n{_process.StandardOutput}\nstderr:\n{_process.StandardError}\nerrors:\n{string.Join("\n", errors)}";
    }

    /// <summary>The SIP messages sipp received, as the raw text it logged (in order).</summary>
    public IReadOnlyList<string> ReceivedMessages()
    {
        if (!File.Exists(MessageLog)) return [];
        var text = File.ReadAllText(MessageLog);
        return ReceivedBlock().Matches(text).Select(m => m.Groups["msg"].Value).ToList();
    }

    [GeneratedRegex(@"message received \[\d+\] bytes :\r?\n\r?\n(?<msg>.*?)(?=\r?\n-{20,}|\z)", RegexOptions.Singleline)]
    private static partial Regex ReceivedBlock();

    /// <summary>Kills sipp by its PID if it still runs.</summary>
    public void Dispose() => _process.Dispose();
}
