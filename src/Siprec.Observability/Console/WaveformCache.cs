using System.Collections.Concurrent;

namespace Siprec.Observability.Console;

/// <summary>
/// The rendered waveforms of finished recordings, so a page load reads each WAV once (a one-hour stereo recording is
/// 115 MB of samples), not on every load or search. Keyed by session, WAV length, last write time and the sidecar's marks'
/// file time, so a rewritten file is drawn again. Holds at most <see cref="Capacity"/> recordings, dropping the oldest.
/// </summary>
internal sealed class WaveformCache
{
    /// <summary>The most recordings kept.</summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, string> _html = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>The cached HTML for <paramref name="entry"/>, or what <paramref name="render"/> makes (then kept).</summary>
    public string GetOrRender(RecordingEntry entry, Func<string> render)
    {
        string key;
        try
        {
            var wav = new FileInfo(entry.WavPath);
            key = $"{entry.SessionId}\n{wav.Length}\n{wav.LastWriteTimeUtc.Ticks}\n{File.GetLastWriteTimeUtc(entry.JsonPath).Ticks}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return render();
        }
        if (_html.TryGetValue(key, out var cached)) return cached;
        var html = render();
        if (_html.TryAdd(key, html)) _order.Enqueue(key);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest)) _html.TryRemove(oldest, out _);
        return html;
    }
}
