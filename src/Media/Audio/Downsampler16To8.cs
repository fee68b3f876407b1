namespace Telephony.Media.Audio;

/// <summary>
/// 16 → 8 kHz: the half-band low-pass (so nothing above 4 kHz folds back into the telephone band), then every
/// second sample. The history and the decimation phase carry across calls, so consecutive frames join
/// without a seam, odd-length ones too. Delay: 31 samples at 16 kHz; with <see cref="Upsampler8To16"/> the
/// round trip delays by exactly 31 samples at 8 kHz. One instance per stream; no allocation after construction.
/// </summary>
public sealed class Downsampler16To8
{
    private const int Window = 2 * HalfBandFilter.HalfLength + 1;  // 63 input samples in reach
    private readonly float[] _history = new float[2 * Window];
    private int _position;
    private bool _odd;                                              // the next input is the second of a pair

    public static int OutputLength(int inputSamples) => (inputSamples + 1) / 2;

    /// <summary>Writes one sample per two inputs to <paramref name="output"/>; returns the count written.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var taps = HalfBandFilter.OddTaps;
        int o = 0;
        foreach (short sample in input)
        {
            _position = (_position + 1) % Window;
            _history[_position] = sample;
            _history[_position + Window] = sample;
            bool emit = !_odd;
            _odd = !_odd;
            if (!emit) continue;
            // window[62] is the newest input x[t], window[0] the oldest x[t − 62]. Emitting on the first sample
            // of each pair puts the centre tap on an original sample after an 8 → 16 kHz conversion.
            var window = _history.AsSpan(_position + 1, Window);
            float sum = 0.5f * window[Window - 1 - HalfBandFilter.HalfLength];
            for (int j = 0; j < taps.Length; j++) sum += taps[j] * window[Window - 1 - 2 * j];
            if (o >= output.Length) throw new ArgumentException($"output holds {output.Length} samples; more needed", nameof(output));
            output[o++] = HalfBandFilter.ToSample(sum);
        }
        return o;
    }

    public void Reset()
    {
        Array.Clear(_history);
        _position = 0;
        _odd = false;
    }
}
