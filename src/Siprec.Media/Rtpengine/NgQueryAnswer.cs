namespace Siprec.Media.Rtpengine;

/// <summary>
/// Reads an ng <c>query</c> answer (rtpengine <c>docs/ng_control_protocol.md</c>, "query"): <c>tags</c> → tag →
/// <c>medias</c>[] → <c>streams</c>[] → <c>stats</c> {<c>packets</c>, <c>bytes</c>, <c>errors</c>}. A stream is RTP when its
/// <c>flags</c> list holds <c>RTP</c> (the RTCP stream of the pair holds <c>RTCP</c>).
/// </summary>
public static class NgQueryAnswer
{
    /// <summary>The RTP streams of every tag in <paramref name="answer"/>, in the answer's order.</summary>
    /// <param name="answer">A decoded <c>query</c> answer (<see cref="Bencode"/> shapes) whose <c>result</c> is <c>ok</c>.</param>
    /// <exception cref="FormatException">No <c>tags</c> dictionary, or a stream without numeric <c>stats</c>: not a 10.x query answer.</exception>
    public static IReadOnlyList<NgStreamStats> ReadRtpStreams(IReadOnlyDictionary<string, object> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!answer.TryGetValue("tags", out var t) || t is not IReadOnlyDictionary<string, object> tags)
            throw new FormatException("the query answer has no 'tags' dictionary");
        var streams = new List<NgStreamStats>();
        foreach (var (tagKey, tagValue) in tags)
        {
            if (tagValue is not IReadOnlyDictionary<string, object> tag || !tag.TryGetValue("medias", out var m) || m is not IReadOnlyList<object> medias)
                continue; // a tag without media (not yet answered) has nothing to count
            foreach (var media in medias.OfType<IReadOnlyDictionary<string, object>>())
            {
                var index = media.TryGetValue("index", out var i) && i is long l ? (int)l : 0;
                if (!media.TryGetValue("streams", out var s) || s is not IReadOnlyList<object> list)
                    continue;
                foreach (var stream in list.OfType<IReadOnlyDictionary<string, object>>())
                {
                    if (!stream.TryGetValue("flags", out var f) || f is not IReadOnlyList<object> flags || !flags.Contains("RTP"))
                        continue;
                    if (!stream.TryGetValue("stats", out var st) || st is not IReadOnlyDictionary<string, object> stats)
                        throw new FormatException($"tag '{tagKey}' m-line {index}: an RTP stream without 'stats'");
                    streams.Add(new NgStreamStats(tagKey, index, Number(stats, "packets"), Number(stats, "bytes"), Number(stats, "errors")));
                }
            }
        }

        return streams;
    }

    private static long Number(IReadOnlyDictionary<string, object> stats, string key) =>
        stats.TryGetValue(key, out var v) && v is long n ? n : throw new FormatException($"stream stats without a numeric '{key}'");
}
