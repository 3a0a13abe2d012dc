using System.Net;
using System.Text;

namespace Siprec.Observability.Console;

/// <summary>
/// The shell every console page shares: one self-contained HTML document (inline CSS, inline script, no CDN, no build
/// step). Everything but live updates and playback is in the server-rendered HTML, so the page reads without JavaScript.
/// </summary>
public static class ConsolePage
{
    /// <summary>HTML-encodes text for an element or a quoted attribute; null becomes empty.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Wraps <paramref name="body"/> in the document.</summary>
    /// <param name="title">The page title (encoded here).</param>
    /// <param name="body">The body's HTML, already encoded where it holds data.</param>
    /// <param name="script">Inline script run after the body; null for none.</param>
    public static string Render(string title, string body, string? script = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<header><h1>").Append(Encode(title)).Append("</h1></header><main>").Append(body).Append("</main>");
        if (script is not null) html.Append("<script>").Append(script).Append("</script>");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>The console's stylesheet: readable on a laptop and a wall screen; marks coloured as the legend says.</summary>
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
        header{background:#1d2330;color:#fff;padding:.6rem 1.2rem}header h1{font-size:1.2rem;margin:0}
        main{padding:1rem 1.2rem;max-width:1200px}
        table{border-collapse:collapse;width:100%;background:#fff;margin:.4rem 0 1rem}
        th,td{border:1px solid #d8dce3;padding:.25rem .5rem;text-align:left;font-size:.85rem;vertical-align:top}
        th{background:#eceff4}
        tr.failed td{background:#fde8e8}
        .recording{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:.6rem .9rem;margin:0 0 1rem}
        .recording h3{margin:.1rem 0 .3rem;font-size:1rem}.meta{color:#555;font-size:.85rem;margin:.2rem 0}
        svg.waveform{width:100%;height:90px;display:block;margin:.2rem 0 .6rem}
        svg .background{fill:#f0f3f8}svg .wave{stroke:#2b62c4;stroke-width:1;fill:none}
        svg .paused{fill:#9aa3b2;fill-opacity:.45}svg .paused-label{font-size:11px;fill:#333}
        svg .lost{stroke:#d11;stroke-width:2}svg .late{stroke:#e99a00;stroke-width:1;stroke-opacity:.7}svg .cursor{stroke:#111;stroke-width:1}
        .legend span{display:inline-block;margin-right:1rem;font-size:.8rem}
        .swatch{display:inline-block;width:.8rem;height:.8rem;vertical-align:middle;margin-right:.25rem}
        audio{width:100%}form{margin:.4rem 0 1rem}input{padding:.25rem}
        .status-failed{color:#b00;font-weight:600}.status-active{color:#070}
        """;
}
