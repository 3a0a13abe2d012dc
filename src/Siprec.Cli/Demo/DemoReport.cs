using Siprec.Gateway;
using Siprec.Cli.Demo.Caller;
using Siprec.Recorder;

namespace Siprec.Cli.Demo;

/// <summary>What one demo run produced: the call as the caller saw it, the gateway's summary, and each SRS's recordings.</summary>
internal sealed record DemoReport(string OutputDirectory, DemoCallResult Call, CallSummary? Gateway, IReadOnlyList<string> SrsUris, IReadOnlyList<DemoSrsReport> Servers)
{
    /// <summary>True when at least one SRS holds a complete recording: the demo's success criterion.</summary>
    public bool Succeeded => Servers.Any(s => s.Sessions.Any(r => r.Complete));
}

/// <summary>The recordings one embedded SRS wrote.</summary>
internal sealed record DemoSrsReport(string SrsUri, IReadOnlyList<RecordedSessionSummary> Sessions);
