using System.Globalization;
using System.Net;
using System.Text;

namespace Siprec.Observability.Console;

/// <summary>
/// Draws one WAV channel as an SVG waveform on the server (min/max per pixel column), with what the sidecar says about it:
/// paused spans shaded and labelled (<c>rect.paused</c>), gaps left by lost packets (<c>line.lost</c>, red) and packets
/// merged late (<c>line.late</c>, amber). Each mark carries its time in seconds (<c>data-start</c>, <c>data-end</c>,
/// <c>data-seconds</c>) beside its x coordinate, so what is drawn can be checked against the sidecar.
/// </summary>
internal static class WaveformSvg
{
    /// <summary>The viewBox width: x = seconds / duration × Width.</summary>
    public const int Width = 1000;

    /// <summary>The viewBox height.</summary>
    public const int Height = 90;

    /// <summary>Renders the waveform of one channel.</summary>
    /// <param name="envelope">The WAV's column envelope, <see cref="Width"/> columns (<see cref="WaveformEnvelope.Read"/>).</param>
    /// <param name="channel">The channel as the sidecar describes it; its number indexes the envelope's channels.</param>
    /// <param name="pauses">Paused spans in seconds from the WAV start; an open one runs to the end.</param>
    /// <returns>An <c>&lt;svg&gt;</c> element, HTML-safe.</returns>
    public static string Render(WaveformEnvelope envelope, RecordingChannel channel, IReadOnlyList<(double Start, double? End)> pauses)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(envelope.Columns, Width);
        var duration = envelope.DurationSeconds;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"waveform\" data-channel=\"{channel.Channel}\" data-duration-seconds=\"{F(duration)}\" viewBox=\"0 0 {Width} {Height}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"waveform of channel {channel.Channel}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"background\" x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\"/>");
        foreach (var (start, end) in pauses)
        {
            var stop = end ?? duration;
            var x = X(start, duration);
            var width = Math.Max(0, X(stop, duration) - x);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"paused\" data-start=\"{F(start)}\" data-end=\"{F(stop)}\" x=\"{F(x)}\" y=\"0\" width=\"{F(width)}\" height=\"{Height}\"><title>paused {F(start)}–{F(stop)} s</title></rect>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"paused-label\" x=\"{F(x + 4)}\" y=\"14\">paused {F(stop - start)} s</text>");
        }
        AppendPath(svg, envelope, channel.Channel);
        foreach (var (seconds, packets) in channel.LossMarks)
        {
            var x = X(seconds, duration);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"lost\" data-seconds=\"{F(seconds)}\" data-packets=\"{packets}\" x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"0\" y2=\"{Height}\"><title>{packets} packet(s) lost at {F(seconds)} s</title></line>");
        }
        foreach (var seconds in channel.LateMergedSeconds)
        {
            var x = X(seconds, duration);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"late\" data-seconds=\"{F(seconds)}\" x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{Height / 2}\" y2=\"{Height}\"><title>packet merged late at {F(seconds)} s</title></line>");
        }
        svg.Append("<line class=\"cursor\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"").Append(Height).Append("\"/>");
        svg.Append("<title>").Append(WebUtility.HtmlEncode($"channel {channel.Channel}: {channel.Label} {channel.Participant}")).Append("</title>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>x in the viewBox of a time, clamped to the drawing.</summary>
    public static double X(double seconds, double duration) =>
        duration <= 0 ? 0 : Math.Clamp(seconds / duration * Width, 0, Width);

    // One vertical stroke per pixel column from the column's minimum to its maximum sample.
    private static void AppendPath(StringBuilder svg, WaveformEnvelope envelope, int channel)
    {
        svg.Append("<path class=\"wave\" d=\"");
        var mid = Height / 2.0;
        for (var column = 0; column < Width; column++)
        {
            if (!envelope.HasSamples(column)) continue;
            var (min, max) = envelope.At(channel, column);
            var top = mid - (max / 32768.0 * mid);
            var bottom = mid - (min / 32768.0 * mid);
            if (bottom - top < 0.5) bottom = top + 0.5; // silence still draws a hairline
            svg.Append(CultureInfo.InvariantCulture, $"M{column}.5 {F(top)}V{F(bottom)}");
        }
        svg.Append("\"/>");
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
