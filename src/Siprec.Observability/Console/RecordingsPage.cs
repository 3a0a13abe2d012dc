using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using Siprec.Media.Wav;
using Siprec.Recorder;

namespace Siprec.Observability.Console;

/// <summary>
/// The SRS console's one page: live sessions (updated by server-sent events), a search form, and the finished recordings
/// newest first, each with a waveform per channel, an audio player, download links and its sidecar as a table.
/// </summary>
internal static class RecordingsPage
{
    /// <summary>Renders the page for a search.</summary>
    /// <param name="live">Sessions being recorded now.</param>
    /// <param name="recordings">Finished recordings to show (already searched and limited).</param>
    /// <param name="query">The search text as given (shown back in the form).</param>
    /// <param name="date">The date searched, yyyy-MM-dd; null when none.</param>
    /// <param name="waveforms">Waveforms already drawn.</param>
    public static string Render(IReadOnlyList<LiveSession> live, IReadOnlyList<RecordingEntry> recordings, string? query, string? date,
        WaveformCache waveforms)
    {
        var body = new StringBuilder();
        body.Append("<section id=\"live-sessions\"><h2>Live sessions</h2><table id=\"live\"><thead><tr>")
            .Append("<th>session</th><th>SRC</th><th>recording ID</th><th>CallSid</th><th>streams</th><th>packets</th><th>lost</th><th>paused</th><th>duration (s)</th>")
            .Append("</tr></thead><tbody>");
        foreach (var session in live) AppendLiveRow(body, session);
        body.Append("</tbody></table></section>");

        body.Append("<section id=\"recordings\"><h2>Recordings</h2><form method=\"get\" action=\"/\">")
            .Append("<label>recording ID, CallSid or session <input name=\"q\" value=\"").Append(ConsolePage.Encode(query)).Append("\"></label> ")
            .Append("<label>date (UTC) <input name=\"date\" type=\"date\" value=\"").Append(ConsolePage.Encode(date)).Append("\"></label> ")
            .Append("<button type=\"submit\">search</button></form>")
            .Append("<p class=\"legend\"><span><i class=\"swatch\" style=\"background:#9aa3b2\"></i>paused</span>")
            .Append("<span><i class=\"swatch\" style=\"background:#d11\"></i>packets lost</span>")
            .Append("<span><i class=\"swatch\" style=\"background:#e99a00\"></i>packet merged late</span></p>");
        if (recordings.Count == 0) body.Append("<p id=\"no-recordings\">No recordings match.</p>");
        foreach (var recording in recordings) AppendRecording(body, recording, waveforms);
        body.Append("</section>");
        return ConsolePage.Render("SIPREC recordings", body.ToString(), Script);
    }

    /// <summary>One live session as a table row (the script builds the same row from <c>/live/events</c>).</summary>
    private static void AppendLiveRow(StringBuilder body, LiveSession s) =>
        body.Append("<tr data-session-id=\"").Append(ConsolePage.Encode(s.SessionId)).Append("\"><td>").Append(ConsolePage.Encode(s.SessionId))
            .Append("</td><td>").Append(ConsolePage.Encode(s.Source)).Append("</td><td>").Append(ConsolePage.Encode(s.RecordingId))
            .Append("</td><td>").Append(ConsolePage.Encode(s.CallSid)).Append("</td><td>").Append(s.Streams)
            .Append("</td><td>").Append(s.Packets).Append("</td><td>").Append(s.Lost).Append("</td><td>").Append(s.Paused ? "paused" : "")
            .Append("</td><td>").Append(s.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append("</td></tr>");

    private static void AppendRecording(StringBuilder body, RecordingEntry r, WaveformCache waveforms)
    {
        var id = ConsolePage.Encode(r.SessionId);
        var audio = $"/recordings/{id}/audio.wav";
        body.Append("<article class=\"recording\" id=\"rec-").Append(id).Append("\" data-session-id=\"").Append(id).Append("\">")
            .Append("<h3>").Append(ConsolePage.Encode(r.RecordingId ?? r.SessionId)).Append("</h3>")
            .Append("<p class=\"meta\">session ").Append(id).Append(" · CallSid ").Append(ConsolePage.Encode(r.CallSid ?? "—"))
            .Append(" · started ").Append(ConsolePage.Encode((string?)r.Sidecar["startTime"]))
            .Append(" · ").Append(r.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s · ")
            .Append(r.Complete ? "ended by the SRC" : "ended by the SRS: " + ConsolePage.Encode((string?)r.Sidecar["reason"])).Append("</p>")
            .Append("<audio controls preload=\"metadata\" src=\"").Append(audio).Append("\"></audio>")
            .Append("<p class=\"meta\"><a href=\"").Append(audio).Append("\" download>WAV</a> · <a href=\"/recordings/").Append(id)
            .Append("/sidecar.json\" download>sidecar JSON</a></p>");
        body.Append(waveforms.GetOrRender(r, () => Waveforms(r)));
        body.Append("<details><summary>sidecar</summary><table class=\"sidecar\"><tbody>");
        foreach (var (path, value) in Flatten(r.Sidecar))
            body.Append("<tr><th>").Append(ConsolePage.Encode(path)).Append("</th><td>").Append(ConsolePage.Encode(value)).Append("</td></tr>");
        body.Append("</tbody></table></details></article>");
    }

    private static string Waveforms(RecordingEntry r)
    {
        var body = new StringBuilder();
        WaveformEnvelope wav;
        try
        {
            wav = WaveformEnvelope.Read(r.WavPath, WaveformSvg.Width);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return body.Append("<p class=\"status-failed\">WAV unreadable: ").Append(ConsolePage.Encode(ex.Message)).Append("</p>").ToString();
        }
        foreach (var channel in r.Channels.Where(c => c.Channel < wav.Channels))
        {
            body.Append("<div class=\"channel\"><p class=\"meta\">channel ").Append(channel.Channel).Append(": ")
                .Append(ConsolePage.Encode(channel.Label)).Append(' ').Append(ConsolePage.Encode(channel.Participant))
                .Append(" · ").Append(channel.Packets).Append(" packets, ").Append(channel.Lost).Append(" lost</p>")
                .Append(WaveformSvg.Render(wav, channel, r.Pauses)).Append("</div>");
        }
        return body.ToString();
    }

    /// <summary>The sidecar's leaves as dotted paths (<c>streams[0].packets</c>) and their JSON text, in document order.</summary>
    internal static IEnumerable<(string Path, string Value)> Flatten(JToken token)
    {
        if (token is JValue value)
        {
            yield return (token.Path, value.Type == JTokenType.Null ? "null" : Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? "");
            yield break;
        }
        if (!token.HasValues && token.Path.Length > 0) yield return (token.Path, token is JArray ? "[]" : "{}");
        foreach (var child in token.Children())
            foreach (var leaf in Flatten(child is JProperty property ? property.Value : child))
                yield return leaf;
    }

    // Live rows from server-sent events; the audio position drawn as a cursor over the recording's waveforms.
    private const string Script = """
        (function(){
          var body=document.querySelector('#live tbody');
          function cell(t){var td=document.createElement('td');td.textContent=t==null?'':String(t);return td;}
          if(window.EventSource){
            var events=new EventSource('/live/events');
            events.onmessage=function(e){
              var sessions=JSON.parse(e.data);body.innerHTML='';
              sessions.forEach(function(s){var tr=document.createElement('tr');tr.dataset.sessionId=s.sessionId;
                [s.sessionId,s.source,s.recordingId,s.callSid,s.streams,s.packets,s.lost,s.paused?'paused':'',s.durationSeconds.toFixed(1)]
                  .forEach(function(v){tr.appendChild(cell(v));});body.appendChild(tr);});
            };
          }
          document.querySelectorAll('article.recording audio').forEach(function(a){
            a.addEventListener('timeupdate',function(){
              a.closest('article').querySelectorAll('svg.waveform').forEach(function(svg){
                var d=parseFloat(svg.dataset.durationSeconds)||1,x=Math.min(1000,a.currentTime/d*1000);
                var c=svg.querySelector('.cursor');c.setAttribute('x1',x);c.setAttribute('x2',x);});
            });
          });
        })();
        """;
}
