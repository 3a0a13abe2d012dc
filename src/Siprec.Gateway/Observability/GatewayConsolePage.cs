using System.Globalization;
using System.Text;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Rest;
using Siprec.Observability.Console;

namespace Siprec.Gateway.Observability;

/// <summary>
/// The gateway's console (issue 17) at <see cref="Path"/> on the REST port: every call it holds (live and ended, still
/// kept) with its SIPREC sessions and each recorder's outcome, calls with a failure first, then newest first, and within a
/// call the failed recorders first. Read-only,
/// server-rendered, no script.
/// </summary>
internal static class GatewayConsolePage
{
    /// <summary>Where the page is served.</summary>
    public const string Path = "/console";

    /// <summary>Renders the page.</summary>
    public static string Render(IReadOnlyList<RestCall> calls)
    {
        var body = new StringBuilder();
        var ordered = calls.OrderByDescending(HasFailure).ThenByDescending(c => c.Started ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.CallSid, StringComparer.Ordinal).ToList();
        body.Append("<section id=\"calls\"><h2>Calls (").Append(ordered.Count).Append(")</h2><table><thead><tr>")
            .Append("<th>CallSid</th><th>status</th><th>from</th><th>to</th><th>started</th><th>session</th><th>name</th><th>session status</th><th>SRS</th><th>outcome</th>")
            .Append("</tr></thead><tbody>");
        foreach (var call in ordered)
        {
            var rows = call.Sessions.SelectMany(s => s.Recorders.Count == 0
                ? [(Session: s, Recorder: (RecorderResource?)null)]
                : s.Recorders.Select(r => (Session: s, Recorder: (RecorderResource?)r))).ToList();
            if (rows.Count == 0) rows.Add((null!, null));
            foreach (var (session, recorder) in rows.OrderByDescending(r => Failed(r.Session, r.Recorder)))
            {
                var failed = Failed(session, recorder);
                body.Append(failed ? "<tr class=\"failed\"" : "<tr").Append(" data-call-sid=\"").Append(ConsolePage.Encode(call.CallSid)).Append("\">")
                    .Append(Cell(call.CallSid)).Append(Cell(call.Status)).Append(Cell(call.From)).Append(Cell(call.To))
                    .Append(Cell(call.Started?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)))
                    .Append(Cell(session?.Sid)).Append(Cell(session?.Name)).Append(Cell(session is null ? "no recording" : session.Status))
                    .Append(Cell(recorder?.SrsUri)).Append(Cell(Outcome(session, recorder))).Append("</tr>");
            }
        }
        body.Append("</tbody></table></section>");
        return ConsolePage.Render("SIPREC gateway: calls and recordings", body.ToString());
    }

    private static bool HasFailure(RestCall call) =>
        call.Sessions.Any(s => s.ErrorCode is not null || s.Recorders.Any(r => r.Status == RecorderResource.Failed));

    private static bool Failed(RecordingResource? session, RecorderResource? recorder) =>
        recorder?.Status == RecorderResource.Failed || (recorder is null && session?.ErrorCode is not null);

    private static string Outcome(RecordingResource? session, RecorderResource? recorder)
    {
        if (recorder is null) return session?.ErrorCode is { } code ? $"{code} {session.ErrorText}" : "";
        var text = recorder.ErrorCode is { } error ? $"{recorder.Status}: {error} {recorder.ErrorText}" : recorder.Status;
        return recorder.Replaces is { } replaced ? $"{text} (standby for {replaced}, gap {recorder.GapMs} ms)" : text;
    }

    private static string Cell(string? text) => "<td>" + ConsolePage.Encode(text) + "</td>";
}
