using System.Globalization;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>
/// Wireshark's verdict on the SIP in a pcap: the full dissection (<c>tshark -V</c>) of the packets matching a
/// display filter, the number of malformed packets (<c>_ws.malformed</c>) and every expert item of warning or
/// error severity. <paramref name="SipPort"/> is decoded as SIP on UDP and TCP whatever its number.
/// </summary>
/// <param name="SipPort">The UDP and TCP port decoded as SIP.</param>
/// <param name="Detail">The <c>-V</c> dissection of the matching packets.</param>
/// <param name="MalformedPackets">Packets Wireshark marked malformed (any protocol), over the whole file.</param>
/// <param name="ExpertProblems">Expert items of severity warning or error, as <c>frame: severity: message</c>, over the whole file.</param>
internal sealed record SipDissection(int SipPort, string Detail, int MalformedPackets, IReadOnlyList<string> ExpertProblems)
{
    private const int WarningSeverity = 0x00600000;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(30);

    /// <summary>Dissects <paramref name="pcap"/>; <paramref name="displayFilter"/> selects the packets whose detail is kept (e.g. <c>sip.Method == "INVITE"</c>).</summary>
    /// <exception cref="TimeoutException">tshark did not finish reading in 30 s.</exception>
    public static async Task<SipDissection> ReadAsync(string pcap, int sipPort, string displayFilter)
    {
        string[] decodeAs = ["-d", $"udp.port=={sipPort},sip", "-d", $"tcp.port=={sipPort},sip"];
        var detail = await RunAsync(["-r", pcap, .. decodeAs, "-V", "-Y", displayFilter]);
        var malformed = await RunAsync(["-r", pcap, .. decodeAs, "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number"]);
        var expert = await RunAsync(["-r", pcap, .. decodeAs, "-Y", "_ws.expert", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
            "-e", "frame.number", "-e", "_ws.expert.severity", "-e", "_ws.expert.message"]);

        var problems = new List<string>();
        foreach (var line in Lines(expert))
        {
            var fields = line.Split('\t');
            if (fields.Length < 3) continue;
            var severities = fields[1].Split('|');
            var messages = fields[2].Split('|');
            for (var i = 0; i < severities.Length; i++)
            {
                if (ParseSeverity(severities[i]) >= WarningSeverity)
                    problems.Add($"frame {fields[0]}: severity 0x{ParseSeverity(severities[i]):x}: {(i < messages.Length ? messages[i] : "")}");
            }
        }

        return new SipDissection(sipPort, detail, Lines(malformed).Count, problems);
    }

    private static int ParseSeverity(string text)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static async Task<string> RunAsync(IEnumerable<string> args)
    {
        using var tshark = PeerProcess.Start(Siprec.Testing.Peers.Require("tshark"), args);
        if (!await tshark.WaitForExitAsync(ReadLimit))
            throw new TimeoutException($"tshark -r did not finish in {ReadLimit.TotalSeconds} s");
        if (tshark.ExitCode != 0)
            throw new InvalidOperationException($"tshark exit {tshark.ExitCode}: {tshark.StandardError}");
        return tshark.StandardOutput;
    }
}
