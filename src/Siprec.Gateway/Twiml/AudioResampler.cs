namespace Siprec.Gateway.Twiml;

/// <summary>
/// Converts 16-bit PCM at any rate to the 8 kHz a PCMU call plays: a windowed-sinc interpolator (Blackman window, 16 taps
/// a side) whose cut-off sits just below the lower Nyquist frequency, so espeak-ng's 22.05 kHz speech or a 44.1 kHz
/// prompt does not alias into the call.
/// </summary>
internal static class AudioResampler
{
    /// <summary>The call's rate.</summary>
    public const int CallRate = 8000;

    private const int HalfTaps = 16;

    /// <summary>The samples at <see cref="CallRate"/>; the same array when already there.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="rate">Their rate in Hz (positive).</param>
    public static short[] ToCallRate(short[] samples, int rate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        if (rate == CallRate || samples.Length == 0) return samples;
        var step = (double)rate / CallRate;
        // Cut-off as a fraction of the input's Nyquist frequency, 5 % under the lower of the two rates' Nyquist.
        var cutoff = Math.Min(1.0, (double)CallRate / rate) * 0.95;
        var output = new short[(int)(samples.Length / step)];
        for (var n = 0; n < output.Length; n++)
        {
            var t = n * step;
            var centre = (int)Math.Floor(t);
            double sum = 0, weight = 0;
            for (var k = centre - HalfTaps + 1; k <= centre + HalfTaps; k++)
            {
                if (k < 0 || k >= samples.Length) continue;
                var x = t - k;
                var w = Sinc(cutoff * x) * Blackman(x / HalfTaps);
                sum += samples[k] * w;
                weight += w;
            }
            // Normalised by the taps' sum so the gain stays 1 at the signal's ends, where taps are missing.
            var value = weight == 0 ? 0 : sum / weight;
            output[n] = (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
        }
        return output;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // Blackman window over -1..1.
    private static double Blackman(double x) =>
        Math.Abs(x) >= 1 ? 0 : 0.42 + 0.5 * Math.Cos(Math.PI * x) + 0.08 * Math.Cos(2 * Math.PI * x);
}
