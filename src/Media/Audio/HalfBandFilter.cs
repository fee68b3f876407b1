namespace Telephony.Media.Audio;

/// <summary>
/// The low-pass filter of both 8 ↔ 16 kHz converters: a 63-tap half-band FIR (cut-off at a quarter of the
/// 16 kHz rate, 4 kHz) designed as a Kaiser-windowed sinc. Half-band means every even tap but the centre is
/// zero, so each output costs 32 multiplications. With β = 7 the stopband (above about 4.6 kHz) is some
/// 70 dB down and the passband flat to about 3.4 kHz, the telephone band.
/// </summary>
internal static class HalfBandFilter
{
    /// <summary>Taps on either side of the centre; the filter is 2 · HalfLength + 1 = 63 long.</summary>
    public const int HalfLength = 31;

    private const double Beta = 7.0;

    /// <summary>
    /// The 32 non-zero taps off the centre, h(2j − 31) for j = 0…31 (so index j is the odd offset 2j − 31);
    /// the centre tap is exactly 0.5. Scaled so the DC gain is exactly 1.
    /// </summary>
    public static readonly float[] OddTaps = Design();

    private static float[] Design()
    {
        var taps = new double[HalfLength + 1];
        double sum = 0;
        for (int j = 0; j <= HalfLength; j++)
        {
            int k = 2 * j - HalfLength;                 // odd offset from the centre
            double sinc = Math.Sin(Math.PI * k / 2) / (Math.PI * k / 2);
            double ratio = (double)k / HalfLength;
            double window = BesselI0(Beta * Math.Sqrt(1 - ratio * ratio)) / BesselI0(Beta);
            taps[j] = 0.5 * sinc * window;
            sum += taps[j];
        }
        // The odd taps must add up to 0.5, the centre tap the other half: unity gain at DC, exact half-band.
        var result = new float[taps.Length];
        for (int j = 0; j < taps.Length; j++) result[j] = (float)(taps[j] * 0.5 / sum);
        return result;
    }

    // The zeroth-order modified Bessel function of the first kind, by its power series.
    private static double BesselI0(double x)
    {
        double term = 1, sum = 1, quarterSquare = x * x / 4;
        for (int m = 1; m < 50 && term > 1e-12 * sum; m++)
        {
            term *= quarterSquare / (m * m);
            sum += term;
        }
        return sum;
    }

    public static short ToSample(float value) =>
        value >= short.MaxValue ? short.MaxValue : value <= short.MinValue ? short.MinValue : (short)MathF.Round(value);
}
