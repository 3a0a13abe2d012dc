using Newtonsoft.Json.Linq;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>A <c>siprec srs</c> process listening on UDP and TCP on <paramref name="Port"/>, writing to <paramref name="OutputDirectory"/>.</summary>
/// <param name="Process">The process.</param>
/// <param name="Port">Its SIP port on 127.0.0.1 (UDP and TCP).</param>
/// <param name="OutputDirectory">Where it writes WAV files and JSON sidecars.</param>
internal sealed record RunningSrs(SiprecProcess Process, int Port, string OutputDirectory)
{
    /// <summary>The SIP URI a connector names it by.</summary>
    public string Uri => $"sip:srs@127.0.0.1:{Port}";

    /// <summary>The sidecars it has written so far (one per recording session), parsed; a sidecar being replaced is skipped.</summary>
    public IReadOnlyList<JObject> Sidecars()
    {
        var sidecars = new List<JObject>();
        if (!Directory.Exists(OutputDirectory)) return sidecars;
        foreach (var file in Directory.GetFiles(OutputDirectory, "*.json"))
        {
            try
            {
                sidecars.Add(JObject.Parse(File.ReadAllText(file)));
            }
            catch (Exception ex) when (ex is IOException or Newtonsoft.Json.JsonException)
            {
            }
        }
        return sidecars;
    }

    /// <summary>RTP packets the SRS counted on the stream with <paramref name="label"/> of its only session, 0 before it has one.</summary>
    public long Packets(string label) =>
        Sidecars().SelectMany(s => s["streams"] as JArray ?? [])
            .Where(stream => (string?)stream["label"] == label)
            .Select(stream => (long?)stream["packets"] ?? 0)
            .DefaultIfEmpty(0)
            .Max();
}
