namespace Telephony.Media.Audio;

/// <summary>
/// 8 → 16 kHz: zero-stuffing followed by the half-band low-pass, done polyphase. Each input sample yields two
/// outputs: an interpolated one from the 32 odd taps, and a delayed copy of an input (the centre tap). The
/// history carries across calls, so consecutive 20 ms frames join without a seam. Delay: 31 samples at 16 kHz.
/// One instance per stream; no allocation after construction.
/// </summary>
public sealed class Upsampler8To16
{
    private const int Taps = HalfBandFilter.HalfLength + 1;   // 32 input samples in reach
    private readonly float[] _history = new float[2 * Taps];  // each sample stored twice: a contiguous window
    private int _position;

    public static int OutputLength(int inputSamples) => inputSamples * 2;

    /// <summary>Writes 2 · input.Length samples to <paramref name="output"/>; returns that count.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if (output.Length < input.Length * 2) throw new ArgumentException($"output holds {output.Length} samples; {input.Length * 2} needed", nameof(output));
        var taps = HalfBandFilter.OddTaps;
        int o = 0;
        foreach (short sample in input)
        {
            _position = (_position + 1) % Taps;
            _history[_position] = sample;
            _history[_position + Taps] = sample;
            // window[0] is the oldest of the last 32 inputs x[p − 31], window[31] the newest x[p].
            var window = _history.AsSpan(_position + 1, Taps);
            float interpolated = 0;
            for (int j = 0; j < Taps; j++) interpolated += taps[j] * window[Taps - 1 - j];
            output[o++] = HalfBandFilter.ToSample(2 * interpolated);      // the zero-stuffed phase: gain 2
            output[o++] = (short)window[Taps - 1 - 15];                   // the centre tap: x[p − 15]
        }
        return o;
    }

    public void Reset()
    {
        Array.Clear(_history);
        _position = 0;
    }
}
