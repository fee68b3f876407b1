namespace Telephony.Media.Tests;

/// <summary>Measurements the DSP tests share: SNR after aligning for a delay, tone levels.</summary>
internal static class SignalMath
{
    /// <summary>The delay (0…maxDelay samples) at which <paramref name="output"/> best matches <paramref name="input"/>.</summary>
    public static int BestDelay(ReadOnlySpan<short> input, ReadOnlySpan<short> output, int maxDelay)
    {
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int delay = 0; delay <= maxDelay; delay++)
        {
            double dot = 0, energy = 0;
            int n = Math.Min(input.Length, output.Length - delay);
            for (int i = 0; i < n; i++)
            {
                dot += (double)input[i] * output[i + delay];
                energy += (double)output[i + delay] * output[i + delay];
            }
            double score = energy > 0 ? dot / Math.Sqrt(energy) : 0;
            if (score > bestScore) { bestScore = score; best = delay; }
        }
        return best;
    }

    /// <summary>SNR in dB of output[i + delay] against input[i], over input[skip..].</summary>
    public static double Snr(ReadOnlySpan<short> input, ReadOnlySpan<short> output, int delay, int skip = 0)
    {
        double signal = 0, noise = 0;
        int n = Math.Min(input.Length, output.Length - delay);
        for (int i = skip; i < n; i++)
        {
            double s = input[i];
            double e = output[i + delay] - s;
            signal += s * s;
            noise += e * e;
        }
        return 10 * Math.Log10(signal / Math.Max(noise, 1e-9));
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    public static short[] Sine(double frequency, int sampleRate, int count, double amplitude)
    {
        var samples = new short[count];
        for (int i = 0; i < count; i++) samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return samples;
    }
}
