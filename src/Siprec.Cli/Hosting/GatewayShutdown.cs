using System.Runtime.InteropServices;
using Siprec.Gateway;

namespace Siprec.Cli.Hosting;

/// <summary>
/// How <c>siprec gateway</c> ends (issue 15): Ctrl+C (SIGINT) stops at once; the first SIGTERM, or <c>POST /admin/drain</c>,
/// drains (OPTIONS and new INVITEs answered 503, established calls kept until they end or the drain bound passes); a second
/// SIGTERM (or Ctrl+C) during a drain ends at once. Either way the caller then disposes the gateway, which hangs up what is
/// left with BYE and stops every recording cleanly (BYE to every SRS, so their sidecars are final), and the process exits 0.
/// </summary>
internal static class GatewayShutdown
{
    /// <summary>Returns when the gateway should be disposed. Registers its own SIGTERM and SIGINT handlers for the duration.</summary>
    /// <param name="gateway">The started gateway.</param>
    /// <param name="drainBound">The longest a drain waits for calls to end.</param>
    /// <param name="console">Where the drain is announced.</param>
    /// <param name="cancellationToken">Cancelled by the host's own termination handling, if any: stops at once.</param>
    public static async Task RunUntilStoppedAsync(RecordingGateway gateway, TimeSpan drainBound, TextWriter console, CancellationToken cancellationToken)
    {
        using var stopNow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stopNow.Cancel();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (gateway.IsDraining) stopNow.Cancel();
            else gateway.BeginDrain("SIGTERM");
        });
        try
        {
            var reason = await gateway.DrainRequested.WaitAsync(stopNow.Token).ConfigureAwait(false);
            await console.WriteLineAsync($"draining ({reason}): {gateway.ActiveCallCount} call(s) kept for at most {drainBound.TotalSeconds:0} s; SIGTERM again stops at once").ConfigureAwait(false);
            await gateway.Drained.WaitAsync(drainBound, TimeProvider.System, stopNow.Token).ConfigureAwait(false);
            await console.WriteLineAsync("drained: no call left").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await console.WriteLineAsync($"stopping now: {gateway.ActiveCallCount} call(s) hung up, their recordings stopped").ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await console.WriteLineAsync($"drain bound of {drainBound.TotalSeconds:0} s passed: {gateway.ActiveCallCount} call(s) hung up, their recordings stopped").ConfigureAwait(false);
        }
    }
}
