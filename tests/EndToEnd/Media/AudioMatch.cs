using Telephony.Media.Audio;

namespace Telephony.EndToEnd.Media;

/// <summary>
/// Where a reference signal sits inside a longer recording, and how well it matches there: the normalized
/// cross-correlation Σ r·x / √(Σ r² · Σ x²) over the window, maximized over every lag (coarse search on
/// 4× decimated audio, then sample-exact around the best coarse lag).
/// </summary>
public static class AudioMatch
{
    public readonly record struct Match(int Lag, double Correlation);

    public static Match Find(ReadOnlySpan<short> reference, ReadOnlySpan<short> recording)
    {
        if (reference.Length == 0 || recording.Length < reference.Length) return new Match(-1, 0);
        var r = ToFloat(reference);
        var x = ToFloat(recording);
        var coarse = Best(Decimate(r, 4), Decimate(x, 4), 0, (x.Length - r.Length) / 4);
        var from = Math.Max(0, coarse.Lag * 4 - 16);
        var to = Math.Min(x.Length - r.Length, coarse.Lag * 4 + 16);
        return Best(r, x, from, to);
    }

    /// <summary>16 kHz PCM to 8 kHz through Media's half-band filter (a lag of a few samples does not matter: the search aligns).</summary>
    public static short[] To8k(short[] pcm16k)
    {
        var output = new short[Downsampler16To8.OutputLength(pcm16k.Length)];
        new Downsampler16To8().Process(pcm16k, output);
        return output;
    }

    private static Match Best(float[] r, float[] x, int fromLag, int toLag)
    {
        double rr = 0;
        foreach (var v in r) rr += v * v;
        // Energy of each window of x by prefix sums.
        var prefix = new double[x.Length + 1];
        for (var i = 0; i < x.Length; i++) prefix[i + 1] = prefix[i] + x[i] * x[i];
        var best = new Match(-1, double.NegativeInfinity);
        var vr = new ReadOnlySpan<float>(r);
        for (var lag = fromLag; lag <= toLag; lag++)
        {
            var xx = prefix[lag + r.Length] - prefix[lag];
            if (xx <= 0 || rr <= 0) continue;
            var dot = Dot(vr, new ReadOnlySpan<float>(x, lag, r.Length));
            var c = dot / Math.Sqrt(rr * xx);
            if (c > best.Correlation) best = new Match(lag, c);
        }
        return best.Lag < 0 ? new Match(-1, 0) : best;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = System.Numerics.Vector<float>.Count;
        var acc = System.Numerics.Vector<float>.Zero;
        var i = 0;
        for (; i + width <= a.Length; i += width)
            acc += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
        double sum = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static float[] ToFloat(ReadOnlySpan<short> pcm)
    {
        var f = new float[pcm.Length];
        for (var i = 0; i < pcm.Length; i++) f[i] = pcm[i] / 32768f;
        return f;
    }

    private static float[] Decimate(float[] x, int factor)
    {
        var y = new float[x.Length / factor];
        for (var i = 0; i < y.Length; i++)
        {
            float s = 0;
            for (var k = 0; k < factor; k++) s += x[i * factor + k];
            y[i] = s / factor;
        }
        return y;
    }
}
