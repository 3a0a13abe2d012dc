using System.Globalization;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>The sample dispatcher (<c>samples/kamailio/dispatcher.cfg</c>) in front of several gateways (cluster mode, issue 15).</summary>
internal sealed partial class Kamailio
{
    /// <summary>
    /// Starts the dispatcher over <paramref name="gateways"/> (set 1 of a list file written into the test's folder), probing
    /// each with OPTIONS every <paramref name="pingIntervalSecs"/> s and failing a silent gateway over after <paramref name="failureTimerMs"/> ms.
    /// </summary>
    /// <exception cref="TimeoutException">Kamailio did not listen within the bound.</exception>
    public static async Task<Kamailio> StartDispatcherAsync(string workDirectory, IReadOnlyList<string> gateways, int pingIntervalSecs, int failureTimerMs)
    {
        var list = Path.Combine(workDirectory, "dispatcher.list");
        await File.WriteAllLinesAsync(list, gateways.Select(g => "1 " + g));
        return await LaunchAsync("dispatcher.cfg", workDirectory,
        [
            $"DS_LIST=\"{list}\"",
            "PING_INTERVAL=" + pingIntervalSecs.ToString(CultureInfo.InvariantCulture),
            "FR_TIMER=" + failureTimerMs.ToString(CultureInfo.InvariantCulture),
        ]);
    }

    /// <summary>How often the dispatcher logged that <paramref name="gateway"/> (its list URI) came up after being down.</summary>
    public int TimesUp(string gateway) => Log.Split('\n').Count(l => l.Contains("dispatcher: gateway " + gateway + " is up", StringComparison.Ordinal));
}
